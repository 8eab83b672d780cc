import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { LexicalCoder } from '../lexical/LexicalCoder.js';
import { lexicalCoderFromModel } from './trainLexicalCoder.js';
import type { LexicalCoderModel } from './trainLexicalCoder.js';

/** `models/<name>/manifest.json` of a coder (DESIGN §5). */
export interface CoderManifest {
  task: 'icd-coder';
  /** `lexical` for the default coder. */
  kind: 'lexical';
  version: string;
  created: string;
  files: { path: string; sha256?: string; bytes: number }[];
  training: {
    dataFiles: { path: string; sha256: string }[];
    documents: number;
    mentions: number;
    excludedIdsSha256: string | null;
    excludedDocuments: number;
  };
  hyperParameters: Record<string, unknown>;
  /** Metrics on the excluded documents, when they were evaluated. */
  devMetrics?: Record<string, unknown>;
}

export const MODEL_FILE = 'coder.json.gz';

/** Writes a coder model and its manifest into `dir` (created when missing). */
export async function saveCoderModel(dir: string, model: LexicalCoderModel, manifest: Omit<CoderManifest, 'files'>): Promise<CoderManifest> {
  await mkdir(dir, { recursive: true });
  const bytes = gzipSync(JSON.stringify(model), { level: 9 });
  await writeFile(join(dir, MODEL_FILE), bytes);
  const full: CoderManifest = {
    ...manifest,
    files: [{ path: MODEL_FILE, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length }],
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/**
 * Loads a coder from a model directory, checking its manifest's task.
 * @example const { coder } = await loadCoderModel('models/ruccod-lexical')
 */
export async function loadCoderModel(dir: string): Promise<{ coder: LexicalCoder; manifest: CoderManifest; conceptIds: Map<string, string> }> {
  let manifest: CoderManifest;
  try {
    manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as CoderManifest;
  } catch (err) {
    throw new Error(`${join(dir, 'manifest.json')}: cannot read a coder manifest (${(err as Error).message}); build one with \`icdkg coder build\``);
  }
  if (manifest.task !== 'icd-coder') throw new Error(`${join(dir, 'manifest.json')}: task is ${JSON.stringify(manifest.task)}, expected "icd-coder"`);
  if (manifest.kind !== 'lexical') throw new Error(`${join(dir, 'manifest.json')}: kind ${JSON.stringify(manifest.kind)} is not a lexical coder`);
  const model = JSON.parse(gunzipSync(await readFile(join(dir, MODEL_FILE))).toString('utf8')) as LexicalCoderModel;
  return { coder: lexicalCoderFromModel(model), manifest, conceptIds: new Map(model.conceptIds) };
}
