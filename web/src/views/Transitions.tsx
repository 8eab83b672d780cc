import { graphql, useQuery } from '../api.js';
import type { ResultOf } from '../api.js';
import { Scatter } from '../charts/charts.js';
import { diverging } from '../charts/scale.js';
import { CohortGate } from '../CohortGate.js';
import { useCohort } from '../cohorts.js';
import { href, replaceParams } from '../router.js';
import type { Route } from '../router.js';
import { Empty, Query, Select } from '../ui.js';

const Top = graphql(`
  query TopTransitions($cohort: String!, $from: String!, $to: String!) {
    transitions(cohort: $cohort, fromLayer: $from, toLayer: $to, first: 150) {
      fromCode toCode count share hopDistance
      fromConcept { title group(level: CHAPTER) { code title } }
      toConcept { title }
    }
    chapters { code title }
  }
`);
const From = graphql(`
  query TransitionsFrom($cohort: String!, $code: IcdCode!, $from: String!, $to: String!) {
    code(code: $code) { title }
    transitions(cohort: $cohort, fromCode: $code, fromLayer: $from, toLayer: $to, first: 12) {
      fromCode toCode count share hopDistance lowestCommonAncestorCode sameCategory sameBlock sameChapter fromF1Change toF1Change
      toConcept { title }
    }
  }
`);
const Shift = graphql(`query CodeShift($cohort: String!) { codeShift(cohort: $cohort, first: 1000) { code change f1Original f1Linked originalCount linkedCount } }`);
type Edge = ResultOf<typeof From>['transitions'][number];

/**
 * The transitions out of one code as a graph (RuCCoD Figure 7): the code in the middle, the
 * codes replacing it around it, arrows labelled with counts, nodes coloured by F1 change.
 * Hand-written SVG: a star is all the layout there is, so a graph library would only add bytes.
 */
function StarGraph({ code, edges }: { code: string; edges: Edge[] }) {
  const W = 640;
  const H = 420;
  const cx = W / 2;
  const cy = H / 2;
  const R = 160;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="group" aria-label={`Transitions from ${code}`} data-testid="transition-graph">
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#555" />
        </marker>
      </defs>
      {edges.map((e, i) => {
        const a = (2 * Math.PI * i) / edges.length - Math.PI / 2;
        const x = cx + R * Math.cos(a);
        const y = cy + R * Math.sin(a);
        const k = 34 / R;
        const hover = `${e.fromCode} → ${e.toCode}: ${e.count} (${(e.share * 100).toFixed(1)} %); LCA ${e.lowestCommonAncestorCode ?? 'none (different chapters)'}, ${e.hopDistance ?? '?'} hops${e.toF1Change == null ? '' : `; F1 change ${e.toF1Change >= 0 ? '+' : ''}${e.toF1Change.toFixed(3)}`}`;
        return (
          <g key={e.toCode} data-to={e.toCode} data-count={e.count}>
            <line x1={cx + (x - cx) * k} y1={cy + (y - cy) * k} x2={x - (x - cx) * k} y2={y - (y - cy) * k} stroke="#555" stroke-width={1 + 4 * e.share} marker-end="url(#arrow)" />
            <text x={(cx + x) / 2} y={(cy + y) / 2 - 4} text-anchor="middle" class="edge-count" style="font-weight:700">{e.count}</text>
            <a href={href(['codes', e.toCode])} aria-label={hover}>
              <circle cx={x} cy={y} r={30} fill={diverging(e.toF1Change)} stroke="#333"><title>{hover}</title></circle>
              <text x={x} y={y + 4} text-anchor="middle">{e.toCode}</text>
            </a>
          </g>
        );
      })}
      <circle cx={cx} cy={cy} r={34} fill="#fff" stroke="#1f5fbf" stroke-width={2} />
      <text x={cx} y={cy + 4} text-anchor="middle" style="font-weight:700">{code}</text>
    </svg>
  );
}

/** Transitions: `#/transitions?cohort=&from=original&to=linked&code=I25.2&chapter=`. */
export default function Transitions({ route }: { route: Route }) {
  const p = route.params;
  const gate = useCohort(p.get('cohort'), ['original', 'linked']);
  const { cohortName } = gate;
  const from = p.get('from') ?? 'original';
  const to = p.get('to') ?? 'linked';
  const chapter = p.get('chapter') ?? '';
  const top = useQuery(Top, { cohort: cohortName ?? '', from, to }, cohortName ? `${cohortName}|${from}|${to}` : null);
  const rows = top?.data?.transitions ?? [];
  // I25.2 (the paper's example) unless the URL names a code; when the cohort has no transition
  // from I25.2, the most frequent source code once the list is there.
  const asked = p.get('code') ?? 'I25.2';
  const first = useQuery(From, { cohort: cohortName ?? '', code: asked, from, to }, cohortName ? `${cohortName}|${asked}|${from}|${to}` : null);
  const fallback = !p.get('code') && first?.data?.transitions.length === 0 && rows[0] ? rows[0].fromCode : null;
  const second = useQuery(From, { cohort: cohortName ?? '', code: fallback ?? '', from, to }, cohortName && fallback ? `${cohortName}|${fallback}|${from}|${to}` : null);
  const code = fallback ?? asked;
  const star = fallback ? second : first;
  const shift = useQuery(Shift, { cohort: cohortName ?? '' }, cohortName ?? null);
  const set = (k: string, v: string) => replaceParams(['transitions'], { cohort: cohortName, from, to, code, chapter, [k]: v });
  return (
    <div>
      <h1>Code transitions</h1>
      <CohortGate gate={gate} view="transitions" id="tr-cohort">
        {(cohort, picker) => (
          <>
              <div class="controls">
                {picker}
                <Select id="tr-from" label="From layer" value={from} options={cohort.layers.map((l) => ({ value: l }))} onChange={(v) => set('from', v)} />
                <Select id="tr-to" label="To layer" value={to} options={cohort.layers.map((l) => ({ value: l }))} onChange={(v) => set('to', v)} />
                <label for="tr-code">From code <input id="tr-code" type="text" size={8} value={code ?? ''} onChange={(e) => set('code', (e.currentTarget as HTMLInputElement).value.trim().toUpperCase())} /></label>
              </div>
              <Query state={star} what={`the transitions from ${code}`}>
                {(d) =>
                  d.transitions.length === 0 ? (
                    <Empty>No transition from {code} between {from} and {to}.</Empty>
                  ) : (
                    <section aria-label="Transition graph">
                      <h2>From <span class="code">{code}</span> {d.code?.title}</h2>
                      <StarGraph code={code!} edges={d.transitions} />
                      <p class="legend">Arrows: appointments where {from} had {code} and {to} had the code instead. Node colour: F1 change of the code between the models trained on {to} and on {from} (green better, red worse, grey when a model is missing). Hover a node for the lowest common ancestor and hop distance.</p>
                    </section>
                  )
                }
              </Query>
              <div class="split">
                <section aria-label="Most frequent transitions">
                  <h2>Most frequent transitions</h2>
                  <Query state={top} what="the transitions">
                    {(d) => {
                      const shown = rows.filter((t) => !chapter || t.fromConcept?.group?.code === chapter).slice(0, 25);
                      return (
                        <>
                          <Select id="tr-chapter" label="Chapter of the source code" value={chapter} options={[{ value: '', label: 'all chapters' }, ...d.chapters.map((c) => ({ value: c.code, label: `${c.code} ${c.title.slice(0, 50)}` }))]} onChange={(v) => set('chapter', v)} />
                          {shown.length === 0 ? <Empty>No transition in this chapter.</Empty> : (
                            <table data-testid="transition-table">
                              <thead><tr><th>from</th><th>to</th><th class="num">count</th><th class="num">share</th><th class="num">hops</th></tr></thead>
                              <tbody>
                                {shown.map((t) => (
                                  <tr key={`${t.fromCode}>${t.toCode}`}>
                                    <td><a href={href(['transitions'], { cohort: cohort.name, from, to, code: t.fromCode, chapter })}><span class="code">{t.fromCode}</span></a></td>
                                    <td><a href={href(['codes', t.toCode])}><span class="code">{t.toCode}</span></a> <span class="muted">{t.toConcept?.title.slice(0, 40)}</span></td>
                                    <td class="num">{t.count}</td><td class="num">{(t.share * 100).toFixed(1)} %</td><td class="num">{t.hopDistance ?? '–'}</td>
                                  </tr>
                                ))}
                              </tbody>
                            </table>
                          )}
                        </>
                      );
                    }}
                  </Query>
                </section>
                <section aria-label="Count change against F1 change">
                  <h2>Count change against F1 change</h2>
                  <Query state={shift} what="the code shift">
                    {(d) => {
                      const pts = d.codeShift.filter((s) => s.f1Linked != null && s.f1Original != null);
                      return pts.length === 0 ? (
                        <Empty>F1 change needs prediction models trained on both layers (<code>npm run demo</code> trains them).</Empty>
                      ) : (
                        <Scatter
                          testId="shift-scatter"
                          title="Per code: change in count from original to linked against change in F1"
                          points={pts.map((s) => ({ key: s.code, x: s.change, y: s.f1Linked! - s.f1Original!, label: `${s.code}: count ${s.originalCount} → ${s.linkedCount}, F1 ${s.f1Original!.toFixed(3)} → ${s.f1Linked!.toFixed(3)}`, colour: s.f1Linked! - s.f1Original! }))}
                          xLabel="count change (linked − original)"
                          yLabel="F1 change"
                          onPick={(c) => set('code', c)}
                        />
                      );
                    }}
                  </Query>
                </section>
              </div>
          </>
        )}
      </CohortGate>
    </div>
  );
}
