import type { BioTagger } from './bio/BioTagger.js';
import { I, O } from './bio/BioTagger.js';
import { Gazetteer } from './Gazetteer.js';
import { tokenize } from './tokenize.js';
import type { Recognizer, Span } from '../types.js';

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

  constructor(tagger: BioTagger, gazetteer: Gazetteer = new Gazetteer(), featureGazetteer: Gazetteer = new Gazetteer()) {
    this.tagger = tagger;
    this.gazetteer = gazetteer;
    this.featureGazetteer = featureGazetteer;
  }

  recognize(texts: readonly string[]): Span[][] {
    return texts.map((text) => this.recognizeOne(text));
  }

  private recognizeOne(text: string): Span[] {
    const tokens = tokenize(text);
    const tags = this.tagger.tag(tokens, this.featureGazetteer.size > 0 ? this.featureGazetteer.positions(tokens) : undefined);
    const spans: Span[] = [];
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
      if (a <= b) {
        const start = tokens[a]!.start;
        const end = tokens[b]!.end;
        spans.push({ start, end, text: text.slice(start, end) });
      }
      i = j + 1;
    }
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
