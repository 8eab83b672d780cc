// Bundles the explorer (web/) into dist/web/: one entry chunk plus one lazily loaded chunk per
// view (esbuild code splitting), an index.html and the stylesheet. Run by `npm run build` and
// `prepare` (hence by `npm install`), so that `npm start` serves it offline: no CDN, no web fonts.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const root = new URL('../web/', import.meta.url).pathname;
const outdir = new URL('../dist/web/', import.meta.url).pathname;
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  entryPoints: { app: `${root}src/main.tsx` },
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: 'es2020',
  outdir,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[name]-[hash]',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});
const entry = Object.entries(result.metafile.outputs).find(([, o]) => o.entryPoint)?.[0];
const app = entry.slice(entry.lastIndexOf('/') + 1);
copyFileSync(`${root}src/style.css`, `${outdir}style.css`);
writeFileSync(
  `${outdir}index.html`,
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ICD-KG explorer</title><link rel="icon" href="data:,"><link rel="stylesheet" href="/app/style.css">
<script type="module" src="/app/${app}"></script></head>
<body><div id="app"><p>Loading the ICD-KG explorer… (it needs JavaScript)</p></div></body></html>
`,
);
writeFileSync(`${outdir}meta.json`, JSON.stringify(result.metafile));
console.log(`explorer bundled into ${outdir}`);
