// Bundles the real GraphiQL (docs explorer, autocompletion, history) with its CSS into
// dist/graphiql/, so that the server can serve it offline (no CDN). Run by `npm run build`
// and `prepare` (hence by `npm install`). esbuild rather than a hand-rolled page: GraphiQL is a
// React app with many modules; one bundle and one stylesheet are what a browser needs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';

const outdir = new URL('../dist/graphiql/', import.meta.url).pathname;
mkdirSync(outdir, { recursive: true });
await build({
  entryPoints: { graphiql: new URL('../tools/graphiql/entry.js', import.meta.url).pathname },
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outdir,
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl' },
  logLevel: 'warning',
  legalComments: 'none',
});
writeFileSync(
  `${outdir}index.html`,
  `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>ICD-KG GraphQL</title><link rel="stylesheet" href="/graphiql/graphiql.css">
<style>html,body,#graphiql{height:100%;margin:0}</style></head>
<body><div id="graphiql">Loading GraphiQL…</div><script src="/graphiql/graphiql.js"></script></body></html>
`,
);
console.log(`GraphiQL bundled into ${outdir}`);
