/**
 * Builds the project's tiny ONNX test models, deterministically, from the tables below (no
 * download, no Python): `models/tiny-ner/` (a BIO token classifier), `models/tiny-embed/` (a
 * sentence-embedding encoder) and `models/tiny-multilabel/` (a multi-label text classifier), each
 * with a hand-written WordPiece `tokenizer.json` over a small Russian vocabulary and a manifest.
 *
 * Usage: `npx tsx scripts/make-tiny-onnx.ts [modelsDir]` (default `models/`). The tests import the
 * tables to compute their expected values independently of onnxruntime.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataType, encodeModel } from './onnxProto.js';
import type { GraphSpec } from './onnxProto.js';

/** BIO labels of the token classifier, in logit order. */
export const NER_LABELS = ['O', 'B-DISEASE', 'I-DISEASE'] as const;

type Tag = 'O' | 'B' | 'I';

/**
 * The vocabulary: token, its BIO tag in the token classifier, and its 4-d embedding in the
 * embedding model (axes: hypertension, coronary, angina, diabetes). `##ческая` is a WordPiece
 * continuation deliberately tagged O: word-level alignment must take the first sub-word's label.
 */
export const VOCAB: readonly { token: string; tag: Tag; vector: [number, number, number, number] }[] = [
  { token: '[PAD]', tag: 'O', vector: [0, 0, 0, 0] },
  { token: '[UNK]', tag: 'O', vector: [0.1, 0.1, 0.1, 0.1] },
  { token: '[CLS]', tag: 'O', vector: [0, 0, 0, 0] },
  { token: '[SEP]', tag: 'O', vector: [0, 0, 0, 0] },
  { token: 'гипертони', tag: 'B', vector: [1, 0, 0, 0] },
  { token: '##ческая', tag: 'O', vector: [0.5, 0, 0, 0] },
  { token: 'артериальная', tag: 'B', vector: [1, 0, 0, 0] },
  { token: 'гипертензия', tag: 'I', vector: [1, 0, 0, 0] },
  { token: 'болезнь', tag: 'I', vector: [0.3, 0.3, 0, 0.3] },
  { token: 'ишемическая', tag: 'B', vector: [0, 1, 0, 0] },
  { token: 'сердца', tag: 'I', vector: [0, 1, 0, 0] },
  { token: 'ибс', tag: 'B', vector: [0, 1, 0, 0] },
  { token: 'стенокардия', tag: 'B', vector: [0, 0.6, 0.8, 0] },
  { token: 'напряжения', tag: 'I', vector: [0, 0.6, 0.8, 0] },
  { token: 'сахарный', tag: 'B', vector: [0, 0, 0, 1] },
  { token: 'диабет', tag: 'I', vector: [0, 0, 0, 1] },
  { token: '2', tag: 'I', vector: [0, 0, 0, 0.5] },
  { token: 'типа', tag: 'I', vector: [0, 0, 0, 0.5] },
  { token: 'диагноз', tag: 'O', vector: [0.1, 0.1, 0.1, 0.1] },
  { token: 'пациент', tag: 'O', vector: [0.1, 0.1, 0.1, 0.1] },
  { token: 'жалобы', tag: 'O', vector: [0.1, 0.1, 0.1, 0.1] },
  { token: 'на', tag: 'O', vector: [0.1, 0.1, 0.1, 0.1] },
  { token: 'боли', tag: 'O', vector: [0.1, 0.1, 0.1, 0.1] },
  { token: 'в', tag: 'O', vector: [0.1, 0.1, 0.1, 0.1] },
  { token: 'и', tag: 'O', vector: [0.1, 0.1, 0.1, 0.1] },
  { token: ':', tag: 'O', vector: [0, 0, 0, 0] },
  { token: ',', tag: 'O', vector: [0, 0, 0, 0] },
  { token: '.', tag: 'O', vector: [0, 0, 0, 0] },
];

/**
 * Token-classifier weights: logits = 2 * onehot(tag) + bias, i.e. embedding row = onehot(tag),
 * W = 2 I, b = NER_BIAS. A B token thus gets logits [0.5, 2, 0].
 */
export const NER_SCALE = 2;
export const NER_BIAS: readonly [number, number, number] = [0.5, 0, 0];

/** Labels of the multi-label classifier and its weights over the 4 embedding axes (W[axis][label]). */
export const MULTILABEL_LABELS = ['I10', 'I25.9', 'I20.8', 'E11.9'] as const;
export const MULTILABEL_W: readonly (readonly number[])[] = [
  [4, 0, 0, 0],
  [0, 3, 1, 0],
  [0, 0, 4, 0],
  [0, 0, 0, 4],
];
export const MULTILABEL_BIAS: readonly number[] = [-1, -1, -1, -1];

const HIDDEN = 4;

/** The WordPiece `tokenizer.json` (BERT normaliser without accent stripping, so `й`/`ё` survive). */
export function tokenizerJson(): object {
  const vocab = Object.fromEntries(VOCAB.map((v, i) => [v.token, i]));
  const special = (id: number) => ({ id, content: VOCAB[id]!.token, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [0, 1, 2, 3].map(special),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordPiece', unk_token: '[UNK]', continuing_subword_prefix: '##', max_input_chars_per_word: 100, vocab },
  };
}

/** `tokenizer_config.json` as a BERT export writes it. */
export function tokenizerConfig(maxLength: number): object {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: maxLength,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    clean_up_tokenization_spaces: true,
  };
}

const ids = { name: 'input_ids', elemType: DataType.INT64, shape: ['batch', 'sequence'] };
const mask = { name: 'attention_mask', elemType: DataType.INT64, shape: ['batch', 'sequence'] };
const tokenTypes = { name: 'token_type_ids', elemType: DataType.INT64, shape: ['batch', 'sequence'] };

/** Gather -> MatMul -> Add: logits [B, T, 3]. */
export function nerGraph(): GraphSpec {
  const tagIndex = { O: 0, B: 1, I: 2 } as const;
  const embedding = VOCAB.flatMap((v) => [0, 1, 2].map((j) => (j === tagIndex[v.tag] ? 1 : 0)));
  const w = [0, 1, 2].flatMap((i) => [0, 1, 2].map((j) => (i === j ? NER_SCALE : 0)));
  return {
    name: 'tiny_ner',
    docString: 'Tiny BIO token classifier built by scripts/make-tiny-onnx.ts',
    nodes: [
      { opType: 'Gather', inputs: ['embedding', 'input_ids'], outputs: ['hidden'] },
      { opType: 'MatMul', inputs: ['hidden', 'classifier_w'], outputs: ['scores'] },
      { opType: 'Add', inputs: ['scores', 'classifier_b'], outputs: ['logits'] },
    ],
    initializers: [
      { name: 'embedding', dims: [VOCAB.length, 3], dataType: DataType.FLOAT, values: embedding },
      { name: 'classifier_w', dims: [3, 3], dataType: DataType.FLOAT, values: w },
      { name: 'classifier_b', dims: [3], dataType: DataType.FLOAT, values: [...NER_BIAS] },
    ],
    inputs: [ids, mask],
    outputs: [{ name: 'logits', elemType: DataType.FLOAT, shape: ['batch', 'sequence', 3] }],
  };
}

/** Gather token embeddings and zero the padding rows into `out` [B, T, HIDDEN]; also leaves `mask_3d`. */
function maskedEmbedding(out: string): GraphSpec['nodes'] {
  return [
    { opType: 'Gather', inputs: ['embedding', 'input_ids'], outputs: ['hidden'] },
    { opType: 'Cast', inputs: ['attention_mask'], outputs: ['mask_f'], attributes: { to: DataType.FLOAT } },
    { opType: 'Unsqueeze', inputs: ['mask_f', 'axis_last'], outputs: ['mask_3d'] },
    { opType: 'Mul', inputs: ['hidden', 'mask_3d'], outputs: [out] },
  ];
}

/** Gather, masked (padding rows zeroed): last_hidden_state [B, T, 4]; pooling is the runtime's job. */
export function embedGraph(): GraphSpec {
  return {
    name: 'tiny_embed',
    docString: 'Tiny sentence encoder built by scripts/make-tiny-onnx.ts',
    nodes: [
      ...maskedEmbedding('last_hidden_state'),
    ],
    initializers: [
      { name: 'embedding', dims: [VOCAB.length, HIDDEN], dataType: DataType.FLOAT, values: VOCAB.flatMap((v) => v.vector) },
      { name: 'axis_last', dims: [1], dataType: DataType.INT64, values: [2] },
    ],
    // token_type_ids is accepted (as BERT exports do) and unused: the runtime must feed it.
    inputs: [ids, mask, tokenTypes],
    outputs: [{ name: 'last_hidden_state', elemType: DataType.FLOAT, shape: ['batch', 'sequence', HIDDEN] }],
  };
}

/** Gather -> masked mean over tokens -> MatMul -> Add: logits [B, labels]. */
export function multilabelGraph(): GraphSpec {
  const L = MULTILABEL_LABELS.length;
  return {
    name: 'tiny_multilabel',
    docString: 'Tiny multi-label text classifier built by scripts/make-tiny-onnx.ts',
    nodes: [
      ...maskedEmbedding('masked'),
      { opType: 'ReduceSum', inputs: ['masked', 'axis_tokens'], outputs: ['summed'], attributes: { keepdims: 0 } },
      { opType: 'ReduceSum', inputs: ['mask_3d', 'axis_tokens'], outputs: ['counts'], attributes: { keepdims: 0 } },
      { opType: 'Div', inputs: ['summed', 'counts'], outputs: ['pooled'] },
      { opType: 'MatMul', inputs: ['pooled', 'classifier_w'], outputs: ['scores'] },
      { opType: 'Add', inputs: ['scores', 'classifier_b'], outputs: ['logits'] },
    ],
    initializers: [
      { name: 'embedding', dims: [VOCAB.length, HIDDEN], dataType: DataType.FLOAT, values: VOCAB.flatMap((v) => v.vector) },
      { name: 'axis_last', dims: [1], dataType: DataType.INT64, values: [2] },
      { name: 'axis_tokens', dims: [1], dataType: DataType.INT64, values: [1] },
      { name: 'classifier_w', dims: [HIDDEN, L], dataType: DataType.FLOAT, values: MULTILABEL_W.flat() },
      { name: 'classifier_b', dims: [L], dataType: DataType.FLOAT, values: [...MULTILABEL_BIAS] },
    ],
    inputs: [ids, mask],
    outputs: [{ name: 'logits', elemType: DataType.FLOAT, shape: ['batch', L] }],
  };
}

const MAX_LENGTH = 32;
const TRAINING = {
  data: 'none: weights are hand-set tables in scripts/make-tiny-onnx.ts (VOCAB, NER_*, MULTILABEL_*)',
  method: 'deterministic construction for tests; not a clinical model',
};

/** The manifests of the three models (format: models/README.md). */
export function manifests(): Record<string, object> {
  const common = {
    version: '1.0.0',
    files: { model: 'model.onnx', tokenizer: 'tokenizer.json', tokenizerConfig: 'tokenizer_config.json' },
    maxLength: MAX_LENGTH,
    createdBy: 'npx tsx scripts/make-tiny-onnx.ts',
    training: TRAINING,
    metrics: {},
  };
  return {
    'tiny-ner': { name: 'tiny-ner', task: 'token-classification', ...common, labels: [...NER_LABELS], output: 'logits', threshold: 0.5 },
    'tiny-embed': { name: 'tiny-embed', task: 'sentence-embedding', ...common, output: 'last_hidden_state', pooling: 'mean', normalize: true },
    'tiny-multilabel': { name: 'tiny-multilabel', task: 'multi-label-classification', ...common, labels: [...MULTILABEL_LABELS], output: 'logits', threshold: 0.5 },
  };
}

/** Writes the three model folders under `modelsDir`. */
export function writeTinyModels(modelsDir: string): string[] {
  const graphs: Record<string, GraphSpec> = { 'tiny-ner': nerGraph(), 'tiny-embed': embedGraph(), 'tiny-multilabel': multilabelGraph() };
  const all = manifests();
  const written: string[] = [];
  for (const [name, graph] of Object.entries(graphs)) {
    const dir = join(modelsDir, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'model.onnx'), encodeModel(graph));
    writeFileSync(join(dir, 'tokenizer.json'), `${JSON.stringify(tokenizerJson(), null, 2)}\n`);
    writeFileSync(join(dir, 'tokenizer_config.json'), `${JSON.stringify(tokenizerConfig(MAX_LENGTH), null, 2)}\n`);
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(all[name], null, 2)}\n`);
    written.push(dir);
  }
  // An ONNX coder combining the two: what `ICDKG_CODER=onnx:models/tiny-onnx-coder` loads.
  const coderDir = join(modelsDir, 'tiny-onnx-coder');
  mkdirSync(coderDir, { recursive: true });
  const coder = { task: 'icd-coder', kind: 'onnx', version: '1.0.0', recognizer: '../tiny-ner', linker: '../tiny-embed', minScore: 0.5, defaultTopK: 5, createdBy: 'npx tsx scripts/make-tiny-onnx.ts' };
  writeFileSync(join(coderDir, 'manifest.json'), `${JSON.stringify(coder, null, 2)}\n`);
  written.push(coderDir);
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? 'models');
  for (const dir of writeTinyModels(out)) process.stderr.write(`wrote ${dir}\n`);
}
