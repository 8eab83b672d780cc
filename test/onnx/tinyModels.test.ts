import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOnnxSession, ExecutionProviderError } from '../../src/pipeline/backends/onnx.js';
import { loadOnnxCoder } from '../../src/pipeline/coding/onnx/loadOnnxCoder.js';
import { OnnxEmbedder } from '../../src/pipeline/coding/onnx/OnnxEmbedder.js';
import { OnnxEmbeddingLinker } from '../../src/pipeline/coding/onnx/OnnxEmbeddingLinker.js';
import type { CodeName } from '../../src/pipeline/coding/onnx/OnnxEmbeddingLinker.js';
import { OnnxModel } from '../../src/pipeline/backends/OnnxModel.js';
import { OnnxMultiLabelClassifier } from '../../src/pipeline/prediction/onnx/OnnxMultiLabelClassifier.js';
import { OnnxTokenClassifier } from '../../src/pipeline/coding/onnx/OnnxTokenClassifier.js';
import { readOnnxManifest } from '../../src/pipeline/backends/readOnnxManifest.js';
import { encodeModel } from '../../scripts/onnxProto.js';
import { embedGraph, multilabelGraph, nerGraph } from '../../scripts/make-tiny-onnx.js';

const MODELS = new URL('../../models/', import.meta.url).pathname;
const TEXT = 'Диагноз: Гипертоническая болезнь. Стенокардия напряжения и сахарный диабет 2 типа, ожирение.';
// Logits of a B or I word are [0.5, 2, 0] up to order: p = e^2 / (e^0.5 + e^2 + 1).
const P_TAG = Math.exp(2) / (Math.exp(0.5) + Math.exp(2) + 1);

const NAMES: CodeName[] = [
  { code: 'I10', text: 'Артериальная гипертензия', source: 'ICD_TITLE' },
  { code: 'I11.9', text: 'Гипертоническая болезнь', source: 'DICTIONARY' },
  { code: 'I25.9', text: 'Ишемическая болезнь сердца', source: 'ICD_TITLE' },
  { code: 'I25.9', text: 'ИБС', source: 'ABBREVIATION' },
  { code: 'I20.8', text: 'Стенокардия напряжения', source: 'CORPUS' },
  { code: 'E11.9', text: 'Сахарный диабет 2 типа', source: 'ICD_TITLE' },
];

let ner: OnnxTokenClassifier;
let embedder: OnnxEmbedder;
let classifier: OnnxMultiLabelClassifier;
let tmp: string;

beforeAll(async () => {
  ner = new OnnxTokenClassifier(await OnnxModel.load(join(MODELS, 'tiny-ner'), { device: 'auto' }));
  embedder = new OnnxEmbedder(await OnnxModel.load(join(MODELS, 'tiny-embed'), { device: 'cpu' }));
  classifier = new OnnxMultiLabelClassifier(await OnnxModel.load(join(MODELS, 'tiny-multilabel'), { device: 'cpu' }));
  tmp = await mkdtemp(join(tmpdir(), 'icdkg-onnx-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('the committed tiny models', () => {
  it('are exactly what scripts/make-tiny-onnx.ts builds', async () => {
    for (const [name, graph] of [['tiny-ner', nerGraph()], ['tiny-embed', embedGraph()], ['tiny-multilabel', multilabelGraph()]] as const) {
      expect(new Uint8Array(await readFile(join(MODELS, name, 'model.onnx')))).toEqual(encodeModel(graph));
    }
  });
  it('detect the inputs each session declares (token_type_ids only where exported)', () => {
    expect(ner.model.inputNames).toEqual(['input_ids', 'attention_mask']);
    expect(embedder.model.inputNames).toEqual(['input_ids', 'attention_mask', 'token_type_ids']);
    expect(embedder.model.output).toBe('last_hidden_state');
  });
});

describe('OnnxTokenClassifier: BIO spans in the caller text', () => {
  it('finds the three diseases, whole words, with their label probability', async () => {
    const [spans] = await ner.recognize([TEXT]);
    expect(spans!.map(({ start, end, text, type }) => ({ start, end, text, type }))).toEqual([
      { start: 9, end: 32, text: 'Гипертоническая болезнь', type: 'DISEASE' },
      { start: 34, end: 56, text: 'Стенокардия напряжения', type: 'DISEASE' },
      { start: 59, end: 81, text: 'сахарный диабет 2 типа', type: 'DISEASE' },
    ]);
    for (const s of spans!) expect(s.score).toBeCloseTo(0.736125, 6);
    expect(P_TAG).toBeCloseTo(0.736125, 6);
  });
  it('labels a word by its first sub-word (гипертони=B, ##ческая=O still gives the whole word)', async () => {
    const [spans] = await ner.recognize(['гипертоническая']);
    expect(spans).toEqual([{ start: 0, end: 15, text: 'гипертоническая', type: 'DISEASE', score: expect.closeTo(P_TAG, 6) as number }]);
  });
  it('windows a text longer than maxLength tokens without losing or shifting spans', async () => {
    const long = Array.from({ length: 5 }, () => TEXT).join(' ');
    const [spans] = await ner.recognize([long]);
    expect(spans).toHaveLength(15);
    for (const s of spans!) expect(long.slice(s.start, s.end)).toBe(s.text);
    expect(spans![14]!.start).toBe(4 * (TEXT.length + 1) + 59);
  });
  it('answers a batch in order; an empty text has no spans', async () => {
    const out = await ner.recognize(['', 'ИБС', 'пациент']);
    expect(out.map((d) => d.map((s) => s.text))).toEqual([[], ['ИБС'], []]);
  });
});

describe('OnnxEmbeddingLinker: cosine top-k over code names', () => {
  it('ranks codes by their best name, scores compared to hand-computed cosines', async () => {
    const linker = await OnnxEmbeddingLinker.build(embedder, NAMES);
    const [cands] = await linker.link(['гипертоническая болезнь'], 5);
    // Query direction [1.8, 0.3, 0, 0.3] (CLS/SEP are zero rows; mean pooling only scales).
    expect(cands!.map((c) => c.code)).toEqual(['I11.9', 'I10', 'I25.9', 'E11.9', 'I20.8']);
    const scores = cands!.map((c) => c.score);
    expect(scores[0]).toBeCloseTo(1, 5);
    expect(scores[1]).toBeCloseTo(1.8 / Math.sqrt(3.42), 5); // 0.973329
    expect(scores[2]).toBeCloseTo(1.32 / (Math.sqrt(3.42) * Math.sqrt(5.47)), 5); // 0.305188
    expect(scores[3]).toBeCloseTo(0.3 / Math.sqrt(3.42), 5); // 0.162221
    expect(scores[4]).toBeCloseTo(0.18 / Math.sqrt(3.42), 5); // 0.097333
    expect(cands![2]).toMatchObject({ code: 'I25.9', name: 'Ишемическая болезнь сердца', source: 'ICD_TITLE' });
  });
  it('links an abbreviation to its code by the abbreviation name', async () => {
    const linker = await OnnxEmbeddingLinker.build(embedder, NAMES);
    const [cands] = await linker.link(['ИБС'], 2);
    expect(cands!.map((c) => [c.code, c.name, +c.score.toFixed(4)])).toEqual([
      ['I25.9', 'ИБС', 1],
      ['I20.8', 'Стенокардия напряжения', 0.6],
    ]);
  });
  it('writes the name embeddings to the cache once and reuses them on the next start', async () => {
    const cacheDir = join(tmp, 'cache');
    const first = await OnnxEmbeddingLinker.build(embedder, NAMES, { cacheDir });
    expect(first.fromCache).toBe(false);
    expect(first.size).toBe(6);
    // 12-byte header + 6 names x 4 dims x 4 bytes.
    expect((await stat(first.cacheFile!)).size).toBe(12 + 6 * 4 * 4);
    const second = await OnnxEmbeddingLinker.build(embedder, NAMES, { cacheDir });
    expect(second.fromCache).toBe(true);
    expect(second.cacheFile).toBe(first.cacheFile);
    expect(await second.link(['стенокардия'], 3)).toEqual(await first.link(['стенокардия'], 3));
    // Other names: another key, computed afresh.
    const third = await OnnxEmbeddingLinker.build(embedder, NAMES.slice(1), { cacheDir });
    expect(third.fromCache).toBe(false);
    expect(third.cacheFile).not.toBe(first.cacheFile);
  });
});

describe('OnnxMultiLabelClassifier: sigmoid per label', () => {
  it('gives I10 sigmoid(1) for "артериальная гипертензия" and drops labels under the threshold', async () => {
    // Masked mean over [CLS, артериальная, гипертензия, SEP] = [0.5, 0, 0, 0]; logit 4 * 0.5 - 1 = 1.
    const [labels] = await classifier.classify(['артериальная гипертензия']);
    expect(labels).toEqual([{ label: 'I10', probability: expect.closeTo(0.731059, 6) as number }]);
    const [all] = await classifier.classify(['артериальная гипертензия'], { threshold: 0 });
    expect(all!.map((l) => [l.label, +l.probability.toFixed(6)])).toEqual([
      ['I10', 0.731059],
      ['E11.9', 0.268941],
      ['I20.8', 0.268941],
      ['I25.9', 0.268941],
    ]);
  });
});

describe('OnnxCoder: recogniser + linker + document codes', () => {
  it('codes the text with spans, codes, titles and candidates', async () => {
    const titles = new Map([['I11.9', 'Гипертензивная болезнь сердца без застойной сердечной недостаточности']]);
    const coder = await loadOnnxCoder(join(MODELS, 'tiny-onnx-coder'), { device: 'auto', names: NAMES, titles, cacheDir: join(tmp, 'coder-cache') });
    expect(coder.executionProvider).toBe('cpu');
    const [doc, empty] = await coder.code([TEXT, ''], { topK: 2 });
    expect(doc!.codes).toEqual(['I11.9', 'I20.8', 'E11.9']);
    expect(doc!.entities.map((e) => [e.start, e.end, e.code, +e.score.toFixed(4), e.candidates.length])).toEqual([
      [9, 32, 'I11.9', 1, 2],
      [34, 56, 'I20.8', 1, 2],
      [59, 81, 'E11.9', 1, 2],
    ]);
    expect(doc!.entities[0]!.title).toBe(titles.get('I11.9'));
    expect(doc!.entities[0]!.candidates[1]).toMatchObject({ code: 'I10', score: expect.closeTo(0.973329, 5) as number });
    expect(empty).toEqual({ entities: [], codes: [] });
  });
});

describe('execution providers (ICDKG_DEVICE)', () => {
  const ortBin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin');
  const cudaInstalled = ['napi-v6/linux/x64', 'napi-v3/linux/x64'].some((d) => existsSync(join(ortBin, d, 'libonnxruntime_providers_cuda.so')));
  const model = join(MODELS, 'tiny-ner', 'model.onnx');

  it.skipIf(cudaInstalled)('auto falls back to cpu when the CUDA provider is absent, and says so', async () => {
    const s = await createOnnxSession(model, 'auto');
    expect(s.provider).toBe('cpu');
    await s.release();
  });
  it.skipIf(cudaInstalled)('cuda fails with a clear error when the CUDA provider is absent', async () => {
    const err = await createOnnxSession(model, 'cuda').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExecutionProviderError);
    expect((err as Error).message).toMatch(/^ICDKG_DEVICE=cuda but the CUDA execution provider is not available \(.+\); .*set ICDKG_DEVICE=auto or cpu$/);
  });
  it('cpu is cpu', async () => {
    const s = await createOnnxSession(model, 'cpu');
    expect(s.provider).toBe('cpu');
    await s.release();
  });
  it.skipIf(!cudaInstalled)('cuda runs on cuda where the provider is installed', async () => {
    const s = await createOnnxSession(model, 'cuda');
    expect(s.provider).toBe('cuda');
    await s.release();
  });
});

describe('readOnnxManifest(): the task registry', () => {
  async function manifestDir(name: string, manifest: object): Promise<string> {
    const dir = join(tmp, name);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    await writeFile(join(dir, 'model.onnx'), encodeModel(nerGraph()));
    await writeFile(join(dir, 'tokenizer.json'), await readFile(join(MODELS, 'tiny-ner', 'tokenizer.json')));
    return dir;
  }
  const base = { version: '1', files: { model: 'model.onnx', tokenizer: 'tokenizer.json' }, maxLength: 16, labels: ['O', 'B-X', 'I-X'] };

  it('rejects an unknown task with the list of valid tasks', async () => {
    const dir = await manifestDir('bad-task', { ...base, task: 'ner' });
    await expect(readOnnxManifest(dir)).rejects.toThrow(
      `${join(dir, 'manifest.json')}: unknown task "ner"; valid tasks: token-classification, sentence-embedding, multi-label-classification`,
    );
  });
  it('rejects a token classifier without labels, and a missing file', async () => {
    const dir = await manifestDir('no-labels', { ...base, task: 'token-classification', labels: undefined });
    await expect(readOnnxManifest(dir)).rejects.toThrow('task token-classification needs "labels"');
    const dir2 = await manifestDir('missing', { ...base, task: 'token-classification', files: { model: 'nope.onnx', tokenizer: 'tokenizer.json' } });
    await expect(readOnnxManifest(dir2)).rejects.toThrow('file "nope.onnx" is listed but missing');
  });
  it('rejects a model of another task than the caller expects', async () => {
    await expect(OnnxModel.load(join(MODELS, 'tiny-embed'), { device: 'cpu' }, 'token-classification')).rejects.toThrow(
      'task is "sentence-embedding", expected "token-classification"',
    );
  });
});
