import type { WordSpan } from '../../backends/splitWords.js';

/** One word's prediction: the winning label's index and its probability. */
export interface WordPrediction {
  label: number;
  score: number;
}

/** An entity found by BIO grouping, in the caller's characters. */
export interface BioEntity {
  start: number;
  end: number;
  /** The entity type (`DISEASE` of `B-DISEASE`; the label itself when it has no BIO prefix). */
  type: string;
  /** Mean probability of the entity's words' labels. */
  score: number;
  /** Index of the first and one past the last word. */
  firstWord: number;
  endWord: number;
}

function parseLabel(label: string): { tag: 'B' | 'I' | 'O'; type: string } {
  if (label === 'O' || label === '') return { tag: 'O', type: '' };
  const m = /^([BIES])[-_](.+)$/.exec(label);
  if (!m) return { tag: 'B', type: label };
  // E (end) and S (single) of BIOES schemes group like I and B.
  return { tag: m[1] === 'I' || m[1] === 'E' ? 'I' : 'B', type: m[2]! };
}

/**
 * Groups per-word BIO predictions into entities (IOB2, tolerant: an `I-X` after `O` or after
 * another type opens an entity, as most taggers' users expect). Entities whose mean score is below
 * `threshold` are dropped.
 *
 * @example groupBioSpans(words, [{label:1,score:.9},{label:2,score:.8}], ['O','B-DIS','I-DIS']) // one DIS entity over both words
 */
export function groupBioSpans(words: readonly WordSpan[], predictions: readonly WordPrediction[], labels: readonly string[], threshold = 0): BioEntity[] {
  if (words.length !== predictions.length) {
    throw new Error(`groupBioSpans: ${words.length} words but ${predictions.length} predictions`);
  }
  const parsed = labels.map(parseLabel);
  const out: BioEntity[] = [];
  let open: { first: number; type: string; sum: number } | null = null;
  const close = (endWord: number): void => {
    if (open === null) return;
    const n = endWord - open.first;
    const score = open.sum / n;
    if (score >= threshold) {
      out.push({ start: words[open.first]!.start, end: words[endWord - 1]!.end, type: open.type, score, firstWord: open.first, endWord });
    }
    open = null;
  };
  predictions.forEach((p, i) => {
    const label = parsed[p.label];
    if (label === undefined) throw new Error(`groupBioSpans: label index ${p.label} is outside the ${labels.length} labels`);
    if (label.tag === 'O') {
      close(i);
    } else if (label.tag === 'I' && open !== null && open.type === label.type) {
      open.sum += p.score;
    } else {
      close(i);
      open = { first: i, type: label.type, sum: p.score };
    }
  });
  close(predictions.length);
  return out;
}
