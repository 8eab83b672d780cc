import type { BioTagger } from './bio/BioTagger.js';
import { I, O } from './bio/BioTagger.js';
import { Gazetteer } from './Gazetteer.js';
import { tokenize } from './tokenize.js';
import type { Token } from './tokenize.js';
import type { Recognizer, Span } from '../types.js';

/** A mention as token indices, first and last inclusive. */
export type TokenSpan = readonly [number, number];

/**
 * A second look at the tagger's spans (the learned boundary choice lives in `../boundary/`):
 * given the tokens, the tagged spans and the tagger's max-marginals, the spans to keep, in order
 * and not overlapping.
 */
export interface SpanAdjuster {
  adjust(tokens: readonly Token[], spans: readonly TokenSpan[], marginals: Float64Array): TokenSpan[];
}

/**
 * The mentions of a tag sequence as token spans: a `B` followed by `I`s (a stray `I` opens a
 * mention too), never across a line break, without leading punctuation or trailing punctuation
 * other than a closing mark.
 *
 * @example taggedSpans(tokenize('ИБС, ХСН'), [B, O, B]) // [[0, 0], [2, 2]]
 */
export function taggedSpans(tokens: readonly Token[], tags: readonly number[]): TokenSpan[] {
  const spans: TokenSpan[] = [];
  let i = 0;
  while (i < tokens.length) {
    if (tags[i] === O) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < tokens.length && tags[j + 1] === I && !tokens[j + 1]!.newlineBefore) j++;
    // Leading or trailing punctuation other than a closing mark belongs to the clause, not the mention.
    let a = i;
    let b = j;
    while (a <= b && tokens[a]!.kind === 'punct') a++;
    while (b >= a && tokens[b]!.kind === 'punct' && !KEEP_TRAILING.has(tokens[b]!.text)) b--;
    if (a <= b) spans.push([a, b]);
    i = j + 1;
  }
  return spans;
}

/**
 * The default recogniser: a BIO tagger (averaged perceptron over token, stem, shape and context
 * features) learned from the training split. A mention is a `B` followed by `I`s; a stray `I`
 * opens a mention too. Spans never cross a line break, which annotators never do either.
 *
 * @example new TaggerRecognizer(tagger).recognize(['ИБС. Стенокардия.'])
 * // [[{ start: 0, end: 3, text: 'ИБС' }, { start: 5, end: 16, text: 'Стенокардия' }]]
 */
export class TaggerRecognizer implements Recognizer {
  readonly tagger: BioTagger;
  /** Mention strings (token keys) annotators mark nearly every time they occur; may be empty. */
  readonly gazetteer: Gazetteer;

  /** Training mention strings (stems) valued by reliability: the tagger's gazetteer features; may be empty. */
  readonly featureGazetteer: Gazetteer;

  /** The learned boundary choice over the tagger's spans (none: the spans as tagged). */
  readonly boundaries: SpanAdjuster | null;

  constructor(tagger: BioTagger, gazetteer: Gazetteer = new Gazetteer(), featureGazetteer: Gazetteer = new Gazetteer(), boundaries: SpanAdjuster | null = null) {
    this.tagger = tagger;
    this.boundaries = boundaries;
    this.gazetteer = gazetteer;
    this.featureGazetteer = featureGazetteer;
  }

  recognize(texts: readonly string[]): Span[][] {
    return texts.map((text) => this.recognizeOne(text));
  }

  private recognizeOne(text: string): Span[] {
    const tokens = tokenize(text);
    const positions = this.featureGazetteer.size > 0 ? this.featureGazetteer.positions(tokens) : undefined;
    let tokenSpans: readonly TokenSpan[];
    if (this.boundaries) {
      const { tags, marginals } = this.tagger.tagWithMarginals(tokens, positions);
      tokenSpans = this.boundaries.adjust(tokens, taggedSpans(tokens, tags), marginals);
    } else {
      tokenSpans = taggedSpans(tokens, this.tagger.tag(tokens, positions));
    }
    const spans: Span[] = tokenSpans.map(([a, b]) => {
      const start = tokens[a]!.start;
      const end = tokens[b]!.end;
      return { start, end, text: text.slice(start, end) };
    });
    if (this.gazetteer.size === 0) return spans;
    // Recall from the gazetteer: a reliably-marked mention string the tagger left untouched.
    const extra: Span[] = [];
    for (const m of this.gazetteer.match(tokens, (t) => t.norm)) {
      const start = tokens[m.start]!.start;
      const end = tokens[m.end - 1]!.end;
      if (!spans.some((s) => s.start < end && start < s.end)) extra.push({ start, end, text: text.slice(start, end) });
    }
    return extra.length === 0 ? spans : [...spans, ...extra].sort((a, b) => a.start - b.start);
  }
}

/** Trailing marks annotators include in a mention (`н/к.` of abbreviations, `ЦВБ?`, closing brackets). */
const KEEP_TRAILING = new Set(['.', '?', ')', ']']);
