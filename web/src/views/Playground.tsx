import { useEffect, useState } from 'preact/hooks';
import { graphql, useQuery } from '../api.js';
import type { ResultOf } from '../api.js';
import { href, replaceParams } from '../router.js';
import type { Route } from '../router.js';
import { Empty, Query } from '../ui.js';

const CodeText = graphql(`
  query CodeText($text: String!) {
    codeText(text: $text, topK: 5) {
      codes
      concepts { code title }
      entities { start end code title score candidates { code name score source concept { title } } }
    }
    system { coder { kind } }
  }
`);
type Entity = ResultOf<typeof CodeText>['codeText']['entities'][number];

const EXAMPLE = 'ИБС. Стенокардия напряжения ФК II. Постинфарктный кардиосклероз. Гипертоническая болезнь III ст., риск 4. ХСН IIА. Сахарный диабет 2 типа.';

/** The text with each coded mention highlighted and its code and title drawn above it (RuCCoD Figure 1). */
function Highlighted({ text, entities }: { text: string; entities: Entity[] }) {
  const [shown, setShown] = useState<number | null>(null);
  const parts: preact.ComponentChildren[] = [];
  let at = 0;
  let last: Entity | null = null;
  entities.forEach((e, i) => {
    // A further code on the span just drawn (the coder found the document likely to carry both):
    // a marker right after it, with its own code and candidates.
    const also = last !== null && e.start === last.start && e.end === last.end;
    if (!also && (e.start < at || e.end > text.length)) return; // overlapping or stale: drawn once only
    if (!also && e.start > at) parts.push(text.slice(at, e.start));
    last = e;
    const tipId = `cand-${i}`;
    parts.push(
      <span key={i} class="entwrap">
        <a
          class={also ? 'ent also' : 'ent'}
          href={href(['codes', e.code])}
          data-code={e.code}
          aria-describedby={shown === i ? tipId : undefined}
          onMouseEnter={() => setShown(i)}
          onMouseLeave={() => setShown(null)}
          onFocus={() => setShown(i)}
          onBlur={() => setShown(null)}
        >
          <span class="tag">{e.code} {e.title}</span>
          {also ? '+' : text.slice(e.start, e.end)}
        </a>
        {shown === i && (
          <span class="popup" role="tooltip" id={tipId} style="left:0;top:1.6em">
            <strong>{e.code} {e.title}</strong> (score {e.score.toFixed(3)})<br />Candidates:
            <table>
              <tbody>
                {e.candidates.map((c) => (
                  <tr key={c.code}>
                    <td class="code">{c.code}</td>
                    <td>{c.concept?.title ?? c.name}</td>
                    <td class="num">{c.score.toFixed(3)}</td>
                    <td class="muted">{c.source.toLowerCase()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </span>
        )}
      </span>,
    );
    at = e.end;
  });
  if (at < text.length) parts.push(text.slice(at));
  return <div class="coded" data-testid="coded-text" data-length={text.length}>{parts}</div>;
}

/** The coding playground: `#/playground?text=...`. */
export default function Playground({ route }: { route: Route }) {
  const [text, setText] = useState(route.params.get('text') ?? EXAMPLE);
  const [debounced, setDebounced] = useState(text);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(text), 80);
    return () => clearTimeout(t);
  }, [text]);
  const q = useQuery(CodeText, { text: debounced }, debounced.trim() === '' ? null : debounced);
  // The last answer stays on screen (with the text it was coded for) while the next is on its
  // way: no flicker between keystrokes.
  const [last, setLast] = useState<{ text: string; data: ResultOf<typeof CodeText> } | null>(null);
  useEffect(() => {
    if (q?.data) setLast({ text: debounced, data: q.data });
  }, [q]);
  const state = q?.loading && last ? { loading: false as const, data: last.data } : q;
  const codedText = q?.loading && last ? last.text : debounced;
  return (
    <div>
      <h1>Coding playground</h1>
      <label for="conclusion">A diagnosis conclusion (Russian); the coder runs as you type</label>
      <textarea
        id="conclusion"
        rows={5}
        value={text}
        onInput={(e) => {
          const v = (e.currentTarget as HTMLTextAreaElement).value;
          setText(v);
          replaceParams(['playground'], { text: v.length <= 1500 ? v : undefined });
        }}
      />
      {debounced.trim() === '' ? (
        <Empty>Type or paste a conclusion.</Empty>
      ) : (
        <Query state={state} what="the coding">
          {(d) => (
            <div class="cols" style="grid-template-columns: 2fr 1fr; margin-top: 1em">
              <section aria-label="Coded text" class="panel">
                <p class="muted">
                  {d.codeText.entities.length} mentions; coder: {d.system.coder ? d.system.coder.kind.toLowerCase() : 'none'}. Hover or focus a mention for its candidates; click it to open the code.
                </p>
                {d.codeText.entities.length === 0 && <Empty>No disease mention found.</Empty>}
                <Highlighted text={codedText} entities={d.codeText.entities} />
              </section>
              <section aria-label="The document's codes" class="panel">
                <h2>Codes</h2>
                <ul data-testid="doc-codes">
                  {d.codeText.concepts.map((c) => (
                    <li key={c.code}><a href={href(['codes', c.code])}><span class="code">{c.code}</span> {c.title}</a></li>
                  ))}
                </ul>
              </section>
            </div>
          )}
        </Query>
      )}
    </div>
  );
}
