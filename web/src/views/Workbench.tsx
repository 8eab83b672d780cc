import { useEffect, useState } from 'preact/hooks';
import { graphql, request, useQuery } from '../api.js';
import type { ResultOf } from '../api.js';
import { BucketBars, RankBars, Scatter } from '../charts/charts.js';
import { href, replaceParams } from '../router.js';
import type { Route } from '../router.js';
import { Empty, ErrorBox, f4, Loading, pct, Query, Select } from '../ui.js';
import type { ApiError } from '../api.js';

const Corpora = graphql(`query WorkbenchCorpora { corpora { name layers splits { split documentCount } } }`);
const Evaluate = graphql(`
  query Evaluate($corpus: String!, $gold: String!, $predicted: String!, $split: String, $level: LiftLevel) {
    evaluateCoding(corpus: $corpus, gold: $gold, predicted: $predicted, split: $split, level: $level) {
      documents documentAccuracy
      ner { precision recall f1 }
      nerLinking { precision recall f1 }
      codeAssignment { precision recall f1 }
      perCode(first: 1000, orderBy: SUPPORT_DESC) { code support f1 tp fp fn concept { title } }
      buckets { top { f1 macroF1 support codes } bottom { f1 macroF1 support codes } }
    }
  }
`);
// The documents where a code is in the gold or the system layer, each with both layers'
// mentions, in one request (a mention's `document` carries its layers).
const CodeDocs = graphql(`
  query CodeDocs($code: IcdCode!, $corpus: String!, $gold: String!, $predicted: String!) {
    code(code: $code) {
      gold: mentions(corpus: $corpus, layer: $gold, first: 40) { nodes { document { documentId text gold: layer(name: $gold) { mentions { start end code } } predicted: layer(name: $predicted) { mentions { start end code } } } } }
      predicted: mentions(corpus: $corpus, layer: $predicted, first: 40) { nodes { document { documentId text gold: layer(name: $gold) { mentions { start end code } } predicted: layer(name: $predicted) { mentions { start end code } } } } }
    }
  }
`);
type Evaluation = ResultOf<typeof Evaluate>['evaluateCoding'];
type Doc = NonNullable<NonNullable<ResultOf<typeof CodeDocs>['code']>['gold']['nodes'][number]['document']>;
const LEVELS = ['STRICT', 'CATEGORY', 'BLOCK', 'CHAPTER'] as const;

/** Every chosen system layer evaluated against gold, asked together. */
function useEvaluations(corpus: string, gold: string, systems: string[], split: string, level: string) {
  const key = `${corpus}|${gold}|${systems.join(',')}|${split}|${level}`;
  // Each answer keeps the key it answers, so that a render before the next request never shows
  // the previous selection's figures as this one's.
  const [state, setState] = useState<{ key: string; rows: { system: string; e: Evaluation }[] } | { key: string; error: ApiError } | null>(null);
  useEffect(() => {
    if (!corpus || systems.length === 0) return setState(null);
    setState(null);
    let live = true;
    const vars = (predicted: string) => ({ corpus, gold, predicted, split: split || null, level: level === 'STRICT' ? null : (level as 'CATEGORY') });
    Promise.all(systems.map((s) => request(Evaluate, vars(s)).then((d) => ({ system: s, e: d.evaluateCoding })))).then(
      (rows) => live && setState({ key, rows }),
      (error: ApiError) => live && setState({ key, error }),
    );
    return () => void (live = false);
  }, [key]);
  return state?.key === key ? state : null;
}

function MetricsTable({ rows, selection }: { rows: { system: string; e: Evaluation }[]; selection: { corpus: string; split: string; level: string } }) {
  return (
    <table data-testid="metrics" aria-label="Metrics per system layer" data-corpus={selection.corpus} data-split={selection.split} data-level={selection.level}>
      <thead>
        <tr><th>system layer</th><th class="num">documents</th><th class="num">NER P</th><th class="num">NER R</th><th class="num">NER F1</th><th class="num">NER+linking F1</th><th class="num">code P</th><th class="num">code R</th><th class="num">code F1</th><th class="num">document accuracy</th></tr>
      </thead>
      <tbody>
        {rows.map(({ system, e }) => (
          <tr key={system} data-system={system}>
            <td>{system}</td><td class="num">{e.documents}</td>
            <td class="num">{f4(e.ner.precision)}</td><td class="num">{f4(e.ner.recall)}</td><td class="num" data-metric="ner">{f4(e.ner.f1)}</td>
            <td class="num" data-metric="nerLinking">{f4(e.nerLinking.f1)}</td>
            <td class="num">{f4(e.codeAssignment.precision)}</td><td class="num">{f4(e.codeAssignment.recall)}</td><td class="num" data-metric="codeAssignment">{f4(e.codeAssignment.f1)}</td>
            <td class="num" data-metric="documentAccuracy">{f4(e.documentAccuracy)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Gold and system mentions of the documents where a code is in either layer, side by side. */
function CodeErrors({ code, corpus, gold, predicted }: { code: string; corpus: string; gold: string; predicted: string }) {
  const q = useQuery(CodeDocs, { code, corpus, gold, predicted }, `${code}|${corpus}|${gold}|${predicted}`);
  if (!q || q.loading) return <Loading what={`the errors on ${code}`} />;
  if (q.error) return <ErrorBox error={q.error} />;
  const byId = new Map<string, Doc>();
  for (const m of [...(q.data.code?.gold.nodes ?? []), ...(q.data.code?.predicted.nodes ?? [])]) if (m.document) byId.set(m.document.documentId, m.document);
  const docs = [...byId.values()].filter((doc) => doc.gold.mentions.some((m) => m.code === code) !== doc.predicted.mentions.some((m) => m.code === code)).slice(0, 8);
  if (docs.length === 0) return <Empty>No document among the first 40 mentions has {code} in one layer only.</Empty>;
  const draw = (doc: Doc, mentions: Doc['gold']['mentions']) => {
    const out: preact.ComponentChildren[] = [];
    let at = 0;
    for (const m of [...mentions].sort((a, b) => a.start - b.start)) {
      if (m.start < at) continue;
      out.push(doc.text.slice(at, m.start));
      out.push(<mark title={m.code ?? undefined} class={m.code === code ? 'this' : undefined}>{doc.text.slice(m.start, m.end)}<sub class="code"> {m.code ?? "no code"}</sub></mark>);
      at = m.end;
    }
    out.push(doc.text.slice(at));
    return out;
  };
  return (
    <div data-testid="code-errors">
      {docs.map((doc) => (
        <div key={doc.documentId} class="split panel" style="margin-bottom:.6em">
          <div><strong>{gold}</strong> — {doc.documentId}<p data-corpus-text>{draw(doc, doc.gold.mentions)}</p></div>
          <div><strong>{predicted}</strong><p data-corpus-text>{draw(doc, doc.predicted.mentions)}</p></div>
        </div>
      ))}
    </div>
  );
}

/** The evaluation workbench: `#/evaluate?corpus=&gold=&systems=a,b&split=&level=&code=`. */
export default function Workbench({ route }: { route: Route }) {
  const p = route.params;
  const corpora = useQuery(Corpora, {}, 'corpora');
  const list = corpora?.data?.corpora ?? [];
  const withSystems = list.find((c) => c.layers.some((l) => l.startsWith('system:'))) ?? list.find((c) => c.layers.includes('gold')) ?? list[0];
  const corpus = list.find((c) => c.name === p.get('corpus')) ?? withSystems;
  const layers = corpus?.layers ?? [];
  const gold = p.get('gold') ?? (layers.includes('gold') ? 'gold' : layers[0] ?? '');
  const others = layers.filter((l) => l !== gold);
  const systems = (p.get('systems')?.split(',') ?? others.filter((l) => l.startsWith('system:')).slice(0, 2)).filter((s) => others.includes(s));
  // `all` stands for no split in the URL (an empty parameter would fall back to the default).
  const splitChoice = p.get('split') ?? (corpus?.splits.some((s) => s.split === 'dev') ? 'dev' : 'all');
  const split = splitChoice === 'all' ? '' : splitChoice;
  const level = p.get('level') ?? 'STRICT';
  const code = p.get('code') ?? undefined;
  const set = (k: string, v: string | undefined) => replaceParams(['evaluate'], { corpus: corpus?.name, gold, systems: systems.join(','), split: splitChoice, level, code, [k]: v });
  const ev = useEvaluations(corpus?.name ?? '', gold, systems, split, level);
  return (
    <div>
      <h1>Evaluation workbench</h1>
      <Query state={corpora} what="the corpora">
        {() =>
          !corpus ? (
            <Empty>The store holds no corpus. Run <code>npm run demo</code> (or <code>icdkg layer import</code>) to load one.</Empty>
          ) : (
            <>
              <div class="controls">
                <Select id="wb-corpus" label="Corpus" value={corpus.name} options={list.map((c) => ({ value: c.name }))} onChange={(v) => replaceParams(['evaluate'], { corpus: v })} />
                <Select id="wb-gold" label="Gold layer" value={gold} options={layers.map((l) => ({ value: l }))} onChange={(v) => set('gold', v)} />
                <fieldset>
                  <legend>System layers</legend>
                  {others.length === 0 && <span class="muted">none</span>}
                  {others.map((l) => (
                    <label key={l} style="margin-right:.8em">
                      <input type="checkbox" checked={systems.includes(l)} onChange={(e) => set('systems', ((e.currentTarget as HTMLInputElement).checked ? [...systems, l] : systems.filter((s) => s !== l)).join(','))} /> {l}
                    </label>
                  ))}
                </fieldset>
                <Select id="wb-split" label="Split" value={splitChoice} options={[{ value: 'all', label: 'all documents' }, ...corpus.splits.map((s) => ({ value: s.split, label: `${s.split} (${s.documentCount})` }))]} onChange={(v) => set('split', v)} />
                <Select id="wb-level" label="Level" value={level} options={LEVELS.map((l) => ({ value: l, label: l.toLowerCase() }))} onChange={(v) => set('level', v)} />
              </div>
              {systems.length === 0 ? (
                <Empty>Pick one or more system layers to score against {gold}.</Empty>
              ) : ev === null ? (
                <Loading what="the evaluation" />
              ) : 'error' in ev ? (
                <ErrorBox error={ev.error} />
              ) : (
                <Results rows={ev.rows} selection={{ corpus: corpus.name, split: splitChoice, level }} gold={gold} code={code} onCode={(c) => set('code', c)} />
              )}
            </>
          )
        }
      </Query>
    </div>
  );
}

function Results({ rows, selection, gold, code, onCode }: { rows: { system: string; e: Evaluation }[]; selection: { corpus: string; split: string; level: string }; gold: string; code?: string; onCode: (c: string) => void }) {
  const first = rows[0]!;
  const corpus = selection.corpus;
  return (
    <>
      <MetricsTable rows={rows} selection={selection} />
      <div class="split" style="margin-top:1em">
        <section aria-label="Per-code F1 against frequency">
          <h2>Per-code F1 against frequency ({first.system})</h2>
          <Scatter
            testId="percode-scatter"
            title={`Per-code F1 of ${first.system} against gold frequency, log scale`}
            points={first.e.perCode.map((c) => ({ key: c.code, x: c.support, y: c.f1, label: `${c.code}: support ${c.support}, F1 ${c.f1.toFixed(3)}` }))}
            xLabel="gold mentions of the code (log)"
            yLabel="F1"
            logX
            yDomain={[0, 1]}
            onPick={onCode}
          />
        </section>
        <section aria-label="Code frequencies">
          <h2>Code frequencies (the long tail)</h2>
          <RankBars counts={first.e.perCode.map((c) => c.support).filter((s) => s > 0)} title="Gold mentions per code by frequency rank, log scale" />
        </section>
      </div>
      <h2>Most and least frequent codes</h2>
      <BucketBars title="F1 of the top and bottom frequency buckets per system" rows={rows.map(({ system, e }) => ({ system, top: e.buckets.top.f1, bottom: e.buckets.bottom.f1 }))} />
      <table aria-label="Frequency buckets">
        <thead><tr><th>system</th><th class="num">top F1</th><th class="num">top macro F1</th><th class="num">bottom F1</th><th class="num">bottom macro F1</th><th class="num">codes per bucket</th></tr></thead>
        <tbody>{rows.map(({ system, e }) => <tr key={system}><td>{system}</td><td class="num">{f4(e.buckets.top.f1)}</td><td class="num">{f4(e.buckets.top.macroF1)}</td><td class="num">{f4(e.buckets.bottom.f1)}</td><td class="num">{f4(e.buckets.bottom.macroF1)}</td><td class="num">{e.buckets.top.codes.length} / {e.buckets.bottom.codes.length}</td></tr>)}</tbody>
      </table>
      <h2>Per code ({first.system}, most frequent first)</h2>
      <table aria-label="Per-code scores">
        <thead><tr><th>code</th><th>title</th><th class="num">support</th><th class="num">tp</th><th class="num">fp</th><th class="num">fn</th><th class="num">F1</th></tr></thead>
        <tbody>
          {first.e.perCode.slice(0, 30).map((c) => (
            <tr key={c.code}>
              <td><button class="linklike" onClick={() => onCode(c.code)} aria-label={`Show the errors on ${c.code}`}><span class="code">{c.code}</span></button></td>
              <td><a href={href(['codes', c.code])}>{c.concept?.title ?? ''}</a></td>
              <td class="num">{c.support}</td><td class="num">{c.tp}</td><td class="num">{c.fp}</td><td class="num">{c.fn}</td><td class="num">{pct(c.f1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {code && (
        <section aria-label={`Errors on ${code}`}>
          <h2>Errors on <a href={href(['codes', code])}>{code}</a>: documents with the code in one layer only</h2>
          <CodeErrors code={code} corpus={corpus} gold={gold} predicted={first.system} />
        </section>
      )}
    </>
  );
}
