/** BIO tags of the tagger (DESIGN §5: NER). */

/** Tag indices: outside, beginning of a mention, inside a mention. */
export const O = 0;
export const B = 1;
export const I = 2;
/** Number of tags. */
export const TAGS = 3;

