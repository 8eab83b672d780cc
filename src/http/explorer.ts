import { staticFolder } from './staticAssets.js';
import type { Asset } from './staticAssets.js';

/**
 * The explorer (the web app in `web/`), bundled by `scripts/build-web.mjs` (run by `npm run
 * build` and `npm install`) into `dist/web/`: the same folder seen from `src/http/` and
 * `dist/http/`. Its page is served at `/` to browsers, its files under {@link EXPLORER_PREFIX}.
 */
export const EXPLORER_DIR = new URL('../../dist/web/', import.meta.url);
/** Where the explorer's files are served. */
export const EXPLORER_PREFIX = '/app/';

const files = staticFolder(EXPLORER_DIR);

/**
 * A file of the built explorer (`index.html`, `app-<hash>.js`, `style.css`, ...); null for any
 * other name or when it was not built.
 *
 * @example explorerAsset('style.css')?.type // 'text/css; charset=utf-8'
 */
export function explorerAsset(name: string): Asset | null {
  return files(name);
}
