import { useEffect, useState } from 'preact/hooks';
import { graphql, request, useQuery } from '../api.js';
import type { ResultOf } from '../api.js';
import { href, replaceParams } from '../router.js';
import type { Route } from '../router.js';
import { Empty, ErrorBox, Loading, Query } from '../ui.js';
import { sentenceAround } from '../text.js';

const Chapters = graphql(`query Chapters { chapters { code title } }`);
const Children = graphql(`query Children($code: IcdCode!) { code(code: $code) { code children { code title kind children { code } } } }`);
const Search = graphql(`query Search($text: String!) { searchCodes(text: $text, first: 12) { code score concept { title kind } name { text source } } }`);
const CodePage = graphql(`
  query CodePage($code: IcdCode!) {
    code(code: $code) {
      code title kind depth
      ancestors { code title }
      children { code title kind }
      names { text source lang count }
    }
    corpora { name layers }
  }
`);
const Frequency = graphql(`query Frequency($code: IcdCode!, $corpus: String!, $layer: String!) { code(code: $code) { frequency(corpus: $corpus, layer: $layer) } }`);
const Mentions = graphql(`
  query CodeMentions($code: IcdCode!, $corpus: String, $layer: String!, $after: String) {
    code(code: $code) {
      mentions(corpus: $corpus, layer: $layer, includeDescendants: true, first: 10, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { id code start end corpus documentId document { text } } }
      }
    }
  }
`);

/** One node of the lazily expanded tree: children are asked for when it is opened. */
function TreeNode({ code, title, hasChildren, selected }: { code: string; title: string; hasChildren: boolean; selected: string | undefined }) {
  const [open, setOpen] = useState(false);
  const kids = useQuery(Children, { code }, open ? code : null);
  return (
    <li role="treeitem" aria-expanded={hasChildren ? open : undefined} aria-selected={selected === code}>
      {hasChildren ? (
        <button class="twisty" aria-label={`${open ? 'Collapse' : 'Expand'} ${code}`} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'}
        </button>
      ) : (
        <span class="twisty" style="display:inline-block;width:1.4em" />
      )}
      <a href={href(['codes', code])}>
        <span class="code">{code}</span> {title}
      </a>
      {open && (
        <Query state={kids} what={`the children of ${code}`}>
          {(d) => (
            <ul role="group">
              {(d.code?.children ?? []).map((c) => (
                <TreeNode key={c.code} code={c.code} title={c.title} hasChildren={c.children.length > 0} selected={selected} />
              ))}
            </ul>
          )}
        </Query>
      )}
    </li>
  );
}

function Tree({ selected }: { selected: string | undefined }) {
  const chapters = useQuery(Chapters, {}, 'chapters');
  return (
    <Query state={chapters} what="the chapters">
      {(d) => (
        <ul class="tree" role="tree" aria-label="ICD-10 chapters">
          {d.chapters.map((c) => (
            <TreeNode key={c.code} code={c.code} title={c.title} hasChildren selected={selected} />
          ))}
        </ul>
      )}
    </Query>
  );
}

/** Live search: asks as the user types (debounced), keeps the text in the URL. */
function SearchBox({ initial, code }: { initial: string; code: string | undefined }) {
  const [text, setText] = useState(initial);
  const [debounced, setDebounced] = useState(initial);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text.trim()), 120);
    return () => clearTimeout(t);
  }, [text]);
  const hits = useQuery(Search, { text: debounced }, debounced === '' ? null : debounced);
  return (
    <div role="search">
      <label for="code-search">Search codes (typos and inflections are fine)</label>
      <input
        id="code-search"
        type="search"
        value={text}
        placeholder="ибс, гипертоническая болезнь сердца, ХОБЛ, I25"
        autoComplete="off"
        onInput={(e) => {
          const v = (e.currentTarget as HTMLInputElement).value;
          setText(v);
          replaceParams(code ? ['codes', code] : ['codes'], { q: v });
        }}
      />
      {debounced !== '' && (
        <Query state={hits} what="search results">
          {(d) =>
            d.searchCodes.length === 0 ? (
              <Empty>No code matches.</Empty>
            ) : (
              <ol class="hits" aria-label="Search results" data-testid="search-results">
                {d.searchCodes.map((h) => (
                  <li key={h.code}>
                    <a href={href(['codes', h.code], { q: text })}>
                      <span class="code">{h.code}</span> {h.concept.title}
                    </a>{' '}
                    <span class="muted">
                      via {h.name.source.toLowerCase()} “<span data-corpus-text={h.name.source === 'CORPUS' || undefined}>{h.name.text}</span>”, score {h.score.toFixed(2)}
                    </span>
                  </li>
                ))}
              </ol>
            )
          }
        </Query>
      )}
    </div>
  );
}

type CorpusRow = ResultOf<typeof CodePage>['corpora'][number];

/** Frequency per corpus layer: one small query per (corpus, layer), asked together. */
function Frequencies({ code, corpora }: { code: string; corpora: CorpusRow[] }) {
  const pairs = corpora.flatMap((c) => c.layers.map((layer) => ({ corpus: c.name, layer })));
  const [counts, setCounts] = useState<number[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => {
    setCounts(null);
    Promise.all(pairs.map((p) => request(Frequency, { code, ...p }).then((d) => d.code?.frequency ?? 0))).then(setCounts, setError);
  }, [code, corpora]);
  if (pairs.length === 0) return <Empty>The store holds no corpus.</Empty>;
  if (error) return <ErrorBox error={error as never} />;
  if (!counts) return <Loading what="frequencies" />;
  return (
    <table aria-label="Documents per corpus layer">
      <thead><tr><th>corpus</th><th>layer</th><th class="num">documents</th></tr></thead>
      <tbody>
        {pairs.map((p, i) => (
          <tr key={`${p.corpus}/${p.layer}`}><td>{p.corpus}</td><td>{p.layer}</td><td class="num">{counts[i]}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

/** The corpus mentions of the code and its descendants, in their sentence, ten per page. */
function MentionList({ code, corpora }: { code: string; corpora: CorpusRow[] }) {
  const choices = corpora.flatMap((c) => c.layers.filter((l) => !l.startsWith('system:')).map((layer) => `${c.name}/${layer}`));
  const [choice, setChoice] = useState(choices.find((c) => c.endsWith('/gold')) ?? choices[0] ?? '');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [corpus, layer] = choice.split('/') as [string, string];
  const after = cursors[cursors.length - 1] ?? null;
  const q = useQuery(Mentions, { code, corpus, layer, after }, choice ? `${code}|${choice}|${after}` : null);
  if (!choice) return <Empty>No corpus layer holds mentions.</Empty>;
  return (
    <div>
      <label for="mention-layer">Layer </label>
      <select id="mention-layer" value={choice} onChange={(e) => { setChoice((e.currentTarget as HTMLSelectElement).value); setCursors([null]); }}>
        {choices.map((c) => <option key={c} value={c}>{c}</option>)}
      </select>
      <Query state={q} what="mentions">
        {(d) => {
          const m = d.code?.mentions;
          if (!m || m.totalCount === 0) return <Empty>No mention of {code} or its descendants in {choice}.</Empty>;
          return (
            <>
              <p class="muted">{m.totalCount} mentions of {code} and its descendants; page {cursors.length}.</p>
              <ul data-testid="mentions">
                {m.edges.map(({ node }) => {
                  const s = sentenceAround(node.document?.text ?? '', node.start, node.end);
                  return (
                    <li key={node.id} data-corpus-text>
                      {s.before}<mark>{s.mention}</mark>{s.after}{' '}
                      <span class="muted">— <span class="code">{node.code}</span>, {node.corpus}/{node.documentId}</span>
                    </li>
                  );
                })}
              </ul>
              <button disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button>{' '}
              <button disabled={!m.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, m.pageInfo.endCursor])}>Next</button>
            </>
          );
        }}
      </Query>
    </div>
  );
}

function CodeDetails({ code }: { code: string }) {
  const q = useQuery(CodePage, { code }, code);
  return (
    <Query state={q} what={`code ${code}`}>
      {(d) => {
        const c = d.code;
        if (!c) return <Empty>The dictionary has no code {code}.</Empty>;
        const bySource = new Map<string, typeof c.names>();
        for (const n of c.names) bySource.set(n.source, [...(bySource.get(n.source) ?? []), n]);
        return (
          <article data-testid="code-page">
            <nav aria-label="Breadcrumb" class="muted">
              {c.ancestors.slice().reverse().map((a) => (
                <span key={a.code}><a href={href(['codes', a.code])}>{a.code}</a> › </span>
              ))}
              {c.code}
            </nav>
            <h1><span class="code">{c.code}</span> {c.title}</h1>
            <p class="muted">{c.kind.toLowerCase()}, depth {c.depth}</p>
            <h2>Children</h2>
            {c.children.length === 0 ? <Empty>None: {c.code} is a leaf.</Empty> : (
              <ul>{c.children.map((k) => <li key={k.code}><a href={href(['codes', k.code])}><span class="code">{k.code}</span> {k.title}</a></li>)}</ul>
            )}
            <h2>Names by source</h2>
            {[...bySource].map(([source, names]) => (
              <p key={source}><strong>{source.toLowerCase()}</strong>: <span data-corpus-text={source === 'CORPUS' || undefined}>{names.slice(0, 25).map((n) => n.text + (n.count ? ` (${n.count})` : '')).join('; ')}{names.length > 25 ? ` … ${names.length - 25} more` : ''}</span></p>
            ))}
            <h2>Frequency per corpus layer</h2>
            <Frequencies code={c.code} corpora={d.corpora} />
            <h2>Mentions in the corpora</h2>
            <MentionList code={c.code} corpora={d.corpora} />
          </article>
        );
      }}
    </Query>
  );
}

/** The code browser: `#/codes` (tree and search), `#/codes/I25.2` (a code page). */
export default function CodeBrowser({ route }: { route: Route }) {
  const code = route.parts[1];
  return (
    <div class="cols">
      <section class="panel" aria-label="Search and tree">
        <SearchBox initial={route.params.get('q') ?? ''} code={code} />
        <h2>Chapters</h2>
        <Tree selected={code} />
      </section>
      <section aria-label="Code">
        {code ? <CodeDetails code={code} /> : <Empty>Search or open a chapter, then pick a code.</Empty>}
      </section>
    </div>
  );
}
