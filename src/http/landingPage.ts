import type { ApolloServerPlugin } from '@apollo/server';

/**
 * A small query page served at the GraphQL path to browsers (development only). Apollo's own
 * landing page loads Apollo Sandbox from a CDN; this one is self-contained, so the server stays
 * usable offline.
 */
const HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ICD-KG GraphQL</title>
<style>body{font:14px system-ui,sans-serif;margin:1.5em;max-width:70em}textarea{width:100%;font:13px monospace}
pre{background:#f4f4f4;padding:1em;overflow:auto;max-height:60vh}button{font-size:14px;padding:.3em 1.2em}</style></head>
<body><h1>ICD-KG GraphQL</h1>
<p>POST queries to this URL (JSON). Try the query below, or see <code>schema/*.graphql</code>.</p>
<textarea id="q" rows="10">{
  code(code: "I25.2") { code title kind parent { code title } ancestors { code } }
  searchCodes(text: "ишемическая болезнь сердца", first: 5) { code score name { text source } }
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

/** The offline landing page plugin (replaces Apollo's CDN-loaded default). */
export function landingPagePlugin(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      return { async renderLandingPage() { return { html: HTML }; } };
    },
  };
}
