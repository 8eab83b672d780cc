import { existsSync, readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { staticFolder } from './staticAssets.js';
import type { Asset } from './staticAssets.js';

/**
 * The self-hosted GraphiQL (docs explorer, autocompletion, history), bundled with its CSS by
 * `scripts/build-graphiql.mjs` (run by `npm run build` and `npm install`) into `dist/graphiql/`:
 * the same folder seen from `src/http/` and `dist/http/`. Served under {@link GRAPHIQL_PREFIX}.
 */
export const GRAPHIQL_DIR = new URL('../../dist/graphiql/', import.meta.url);
/** Where the GraphiQL assets are served. */
export const GRAPHIQL_PREFIX = '/graphiql/';

/**
 * The fallback page when GraphiQL was not built (`npm run build` builds it): a small query page.
 * Apollo's own landing page loads Apollo Sandbox from a CDN; both of ours are self-contained,
 * so the server stays usable offline.
 */
const FALLBACK_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ICD-KG GraphQL</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em;max-width:70em}textarea{width:100%;font:13px monospace}
pre{background:#f4f4f4;padding:1em;overflow:auto;max-height:60vh}button{font-size:14px;padding:.3em 1.2em}</style></head>
<body><h1>ICD-KG GraphQL</h1>
<p>POST queries to this URL (JSON). Run <code>npm run build</code> for GraphiQL; meanwhile try the query below, or see <code>schema/*.graphql</code>.</p>
<textarea id="q" rows="10">{
  code(code: "I25.2") { code title kind parent { code title } ancestors { code } }
  searchCodes(text: "ишемическая болезнь сердца", first: 5) { code score concept { title } name { text source } }
}</textarea>
<p>Variables (JSON): <textarea id="v" rows="2">{}</textarea></p>
<button id="run">Run</button>
<pre id="out"></pre>
<script>
document.getElementById('run').onclick = async () => {
  const out = document.getElementById('out');
  out.textContent = '...';
  try {
    const res = await fetch(location.pathname, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: document.getElementById('q').value, variables: JSON.parse(document.getElementById('v').value || '{}') }) });
    out.textContent = JSON.stringify(await res.json(), null, 2);
  } catch (e) { out.textContent = String(e); }
};
</script></body></html>`;

/**
 * The offline landing page plugin (replaces Apollo's CDN-loaded default): GraphiQL when it is
 * built, else the small fallback page.
 *
 * @example new ApolloServer({ typeDefs, resolvers, plugins: [landingPagePlugin()] })
 */
export function landingPagePlugin(dir: URL = GRAPHIQL_DIR): ApolloServerPlugin {
  return {
    async serverWillStart() {
      const index = new URL('index.html', dir);
      const html = existsSync(index) ? readFileSync(index, 'utf8') : FALLBACK_HTML;
      return { async renderLandingPage() { return { html }; } };
    },
  };
}

const graphiqlFiles = staticFolder(GRAPHIQL_DIR);

/**
 * The bytes and content type of a GraphiQL asset (`graphiql.js`, `graphiql.css`); null for any
 * other name or when it was not built.
 *
 * @example graphiqlAsset('graphiql.css') // { body: <Buffer ...>, type: 'text/css; charset=utf-8' }
 */
export function graphiqlAsset(name: string): Asset | null {
  return name === 'graphiql.js' || name === 'graphiql.css' ? graphiqlFiles(name) : null;
}
