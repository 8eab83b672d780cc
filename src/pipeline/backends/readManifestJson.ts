import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Reads `manifest.json` of a model folder as untrusted JSON (`what` names the kind of manifest in
 * the error); the caller checks the fields.
 *
 * @example const { raw, manifestPath } = await readManifestJson<OnnxManifest>('models/tiny-ner', 'model');
 */
export async function readManifestJson<T>(dir: string, what: string): Promise<{ folder: string; manifestPath: string; raw: Partial<T> }> {
  const folder = resolve(dir);
  const manifestPath = join(folder, 'manifest.json');
  try {
    return { folder, manifestPath, raw: JSON.parse(await readFile(manifestPath, 'utf8')) as Partial<T> };
  } catch (err) {
    throw new Error(`${manifestPath}: cannot read the ${what} manifest (${(err as Error).message})`);
  }
}
