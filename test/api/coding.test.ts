import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.js';
import type { RunningServer } from '../../src/server.js';
import { testConfig } from './testServer.js';
import type { GraphQLBody } from './testServer.js';

// A conclusion written for this test (not from any corpus), over the codes of graph/seed/sample.
const TEXT = 'Диагноз: ИБС. Стенокардия напряжения ФК II. Гипертоническая болезнь II стадии, риск 3. Сахарный диабет 2 типа.';
const SECRET_WORD = 'Стенокардия';

interface Server extends RunningServer {
  query(query: string, variables?: Record<string, unknown>): Promise<GraphQLBody>;
  logs: string[];
}

let journal: string;

/** The real server over the graph/seed/ sample (no data dir, no built model: the coder is trained from the sample). */
async function start(env: NodeJS.ProcessEnv, limits: Partial<ReturnType<typeof testConfig>['limits']> = {}): Promise<Server> {
  const logs: string[] = [];
  const logger = pino({ level: 'debug' }, new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) }));
  const base = testConfig({}, { ICDKG_SAMPLE: '1', ICDKG_MODELS_DIR: join(journal, 'no-models'), ICDKG_JOURNAL_DIR: journal, ...env });
  const server = await startServer({ ...base, limits: { ...base.limits, ...limits } }, { logger });
  return {
    ...server,
    logs,
    async query(query, variables) {
      const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await res.json()) as GraphQLBody;
    },
  };
}

const CODE_TEXT = `query($text: String!, $topK: Int! = 2) {
  codeText(text: $text, topK: $topK) {
    codes
    concepts { code }
    entities { start end text code concept { code parent { code } } title score candidates { code source name concept { code } } }
  }
}`;

beforeAll(async () => {
  journal = await mkdtemp(join(tmpdir(), 'icdkg-coding-api-'));
});
afterAll(async () => {
  await rm(journal, { recursive: true, force: true });
});

describe('coding queries over the sample, lexical coder', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start({}, { maxTextLength: 200, maxBatchSize: 3 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('codeText: spans in the text as sent, codes with their nodes, candidates', async () => {
    const body = await server.query(CODE_TEXT, { text: TEXT });
    expect(body.errors).toBeUndefined();
    const result = body.data!.codeText as {
      codes: string[];
      concepts: { code: string }[];
      entities: { start: number; end: number; text: string; code: string; concept: { code: string; parent: { code: string } }; title: string; candidates: { code: string }[] }[];
    };
    // The sample-trained tagger's exact right edges are the lexical coder's business (its tests);
    // here: one entity per diagnosis, starting where the diagnosis starts, ending inside it.
    const diagnoses: [string, string][] = [
      ['ИБС', 'I25.9'],
      ['Стенокардия напряжения ФК II', 'I20.8'],
      ['Гипертоническая болезнь II стадии', 'I11.9'],
      ['Сахарный диабет 2 типа', 'E11.9'],
    ];
    expect(result.entities.map((e) => [e.start, e.code])).toEqual(diagnoses.map(([d, code]) => [TEXT.indexOf(d), code]));
    result.entities.forEach((e, i) => {
      const [d] = diagnoses[i]!;
      expect(e.end).toBeGreaterThan(e.start);
      expect(e.end).toBeLessThanOrEqual(TEXT.indexOf(d) + d.length);
    });
    expect(result.entities[1]).toMatchObject({ start: 14, end: 42, text: 'Стенокардия напряжения ФК II' });
    for (const e of result.entities) expect(TEXT.slice(e.start, e.end)).toBe(e.text);
    expect(result.codes).toEqual(['I25.9', 'I20.8', 'I11.9', 'E11.9']);
    expect(result.concepts.map((c) => c.code)).toEqual(result.codes);
    expect(result.entities[0]!.concept).toEqual({ code: 'I25.9', parent: { code: 'I25' } });
    expect(result.entities[1]!.title).toBe('Другие формы стенокардии');
    for (const e of result.entities) {
      expect(e.candidates.length).toBeGreaterThanOrEqual(1);
      expect(e.candidates.length).toBeLessThanOrEqual(2);
      expect(e.candidates[0]!.code).toBe(e.code);
    }
  });

  it('an empty or blank text gives an empty result', async () => {
    for (const text of ['', '  \n ']) {
      expect(await server.query(CODE_TEXT, { text })).toEqual({ data: { codeText: { codes: [], concepts: [], entities: [] } } });
    }
  });

  it('codeTexts answers a batch in order, blank texts empty', async () => {
    const body = await server.query('query($t: [String!]!) { codeTexts(texts: $t, topK: 1) { codes } }', { t: ['Сахарный диабет 2 типа.', '', 'ИБС.'] });
    expect(body).toEqual({ data: { codeTexts: [{ codes: ['E11.9'] }, { codes: [] }, { codes: ['I25.9'] }] } });
  });

  it('a text over maxTextLength is BAD_USER_INPUT naming the limit and the length, never the text', async () => {
    const long = `${SECRET_WORD} ${'х'.repeat(200)}`;
    const body = await server.query(CODE_TEXT, { text: long });
    expect(body.data).toBeNull();
    expect(body.errors!.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', `text must be at most 200 characters, got ${long.length}`]]);
    const batch = await server.query('query($t: [String!]!) { codeTexts(texts: $t) { codes } }', { t: ['ИБС', long] });
    expect(batch.errors!.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', `texts[1] must be at most 200 characters, got ${long.length}`]]);
  });

  it('a batch over maxBatchSize is BAD_USER_INPUT naming the limit and the size', async () => {
    const body = await server.query('query($t: [String!]!) { codeTexts(texts: $t) { codes } }', { t: ['а', 'б', 'в', 'г'] });
    expect(body.errors!.map((e) => [e.extensions?.code, e.message])).toEqual([['BAD_USER_INPUT', 'texts must hold at most 3 texts, got 4']]);
  });

  it('topK out of range is BAD_USER_INPUT', async () => {
    const body = await server.query(CODE_TEXT, { text: 'ИБС', topK: 0 });
    expect(body.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(body.errors![0]!.message).toMatch(/^topK must be between 1 and \d+, got 0$/);
  });

  it('linkMention ranks codes for a mention, best first', async () => {
    const body = await server.query('{ linkMention(text: "сахарный диабет 2 типа", topK: 3) { code score source concept { title } } }');
    const cands = body.data!.linkMention as { code: string; score: number; source: string; concept: { title: string } }[];
    expect(cands[0]).toEqual({ code: 'E11.9', score: 1, source: 'CORPUS', concept: { title: 'Инсулиннезависимый сахарный диабет без осложнений' } });
    expect(cands.map((c) => c.score)).toEqual([...cands.map((c) => c.score)].sort((a, b) => b - a));
    expect(await server.query('{ linkMention(text: "") { code } }')).toEqual({ data: { linkMention: [] } });
  });

  it('evaluateLinking: acc@k on the gold mentions the coder was trained on is 1', async () => {
    const body = await server.query('{ evaluateLinking(corpus: "ruccod", ks: [1, 3], level: CATEGORY) { corpus split layer level documents mentions accuracy { k hits total accuracy } } }');
    expect(body).toEqual({
      data: {
        evaluateLinking: {
          corpus: 'ruccod',
          split: null,
          layer: 'gold',
          level: 'CATEGORY',
          documents: 6,
          mentions: 16,
          accuracy: [
            { k: 1, hits: 16, total: 16, accuracy: 1 },
            { k: 3, hits: 16, total: 16, accuracy: 1 },
          ],
        },
      },
    });
  });

  it('evaluateLinking refuses an unknown corpus and empty or bad ks', async () => {
    const unknown = await server.query('{ evaluateLinking(corpus: "nope") { mentions } }');
    expect(unknown.errors!.map((e) => [e.extensions?.code, e.message])).toEqual([['NOT_FOUND', 'no corpus named <4 characters>']]);
    const empty = await server.query('{ evaluateLinking(corpus: "ruccod", ks: []) { mentions } }');
    expect(empty.errors!.map((e) => e.message)).toEqual(['ks must not be empty']);
    const zero = await server.query('{ evaluateLinking(corpus: "ruccod", ks: [0]) { mentions } }');
    expect(zero.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('system reports the lexical coder (no execution provider) and the RSS', async () => {
    const body = await server.query('{ system { device executionProvider residentMemoryBytes coder { kind state source error } } }');
    const system = body.data!.system as Record<string, unknown>;
    expect(system).toMatchObject({ device: 'AUTO', executionProvider: null, coder: { kind: 'LEXICAL', state: 'READY', error: null } });
    expect(system.residentMemoryBytes).toBeGreaterThan(10 * 1024 * 1024);
  });

  it('never writes the texts into the logs', () => {
    const all = server.logs.join('');
    expect(all).toContain('coder trained from the data');
    expect(all).not.toContain(SECRET_WORD);
    expect(all.toLowerCase()).not.toContain('стенокард');
  });
});

describe('the coder trained at start is kept per data version', () => {
  it('a second server on the same state folder loads it instead of training again', async () => {
    const server = await start({});
    try {
      expect(await server.query('{ codeText(text: "ИБС.") { codes } }')).toEqual({ data: { codeText: { codes: ['I25.9'] } } });
      // Asked after codeText answered (fields of one query resolve concurrently).
      const body = await server.query('{ system { coder { state source } } }');
      expect(body.data).toMatchObject({ system: { coder: { state: 'READY' } } });
      const source = (body.data!.system as { coder: { source: string } }).coder.source;
      expect(source.startsWith(join(journal, 'coders', 'lexical-'))).toBe(true);
      expect(server.logs.join('')).not.toContain('coder trained from the data');
    } finally {
      await server.close();
    }
  });
});

describe('coding queries with an ONNX coder (ICDKG_CODER=onnx:models/tiny-onnx-coder)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start({ ICDKG_CODER: `onnx:${new URL('../../models/tiny-onnx-coder', import.meta.url).pathname}`, ICDKG_DEVICE: 'auto' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('codes with the tiny models and reports the provider in use (cpu: no CUDA here)', async () => {
    const body = await server.query(CODE_TEXT, { text: 'Стенокардия напряжения. Сахарный диабет 2 типа.' });
    expect(body.errors).toBeUndefined();
    const result = body.data!.codeText as { codes: string[]; entities: { start: number; end: number; code: string }[] };
    expect(result.entities.map((e) => [e.start, e.end])).toEqual([[0, 22], [24, 46]]);
    // The tiny encoder knows стенокардия/напряжения (angina axis) and сахарный/диабет (diabetes axis).
    expect(result.codes.map((c) => c.slice(0, 3))).toEqual(['I20', 'E11']);
    const system = (await server.query('{ system { executionProvider coder { kind state } } }')).data!.system;
    expect(system).toEqual({ executionProvider: 'CPU', coder: { kind: 'ONNX', state: 'READY' } });
  });
});

describe('ICDKG_DEVICE=cuda without a CUDA provider', () => {
  const ortBin = join(dirname(createRequire(import.meta.url).resolve('onnxruntime-node')), '..', 'bin');
  const cudaInstalled = existsSync(join(ortBin, 'napi-v6', 'linux', 'x64', 'libonnxruntime_providers_cuda.so'));

  it.skipIf(cudaInstalled)('the ONNX coder fails to load with a clear error; coding queries say so, the rest of the API serves', async () => {
    const server = await start({ ICDKG_CODER: `onnx:${new URL('../../models/tiny-onnx-coder', import.meta.url).pathname}`, ICDKG_DEVICE: 'cuda' });
    try {
      const body = await server.query('{ codeText(text: "ИБС") { codes } }');
      expect(body.errors!.map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
      expect(body.errors![0]!.message).toMatch(/^the onnx coder could not be loaded: ICDKG_DEVICE=cuda but the CUDA execution provider is not available/);
      const system = (await server.query('{ system { device executionProvider coder { kind state error } } code(code: "I25.2") { title } }')).data!;
      expect(system).toMatchObject({ system: { device: 'CUDA', executionProvider: null, coder: { kind: 'ONNX', state: 'FAILED' } }, code: { title: expect.any(String) as string } });
      expect(server.logs.join('')).toContain('coder failed to load');
    } finally {
      await server.close();
    }
  });
});
