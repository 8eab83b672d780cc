import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { IngestError } from '../../errors.js';
import { evaluateCoding } from '../../evaluation/evaluateCoding.js';
import type { CodingEvaluation } from '../../evaluation/evaluateCoding.js';
import { liftFromParents } from '../../evaluation/liftFromParents.js';
import { referenceMentions } from '../../evaluation/referenceMentions.js';
import type { EvalDocument, LiftFn, Metrics } from '../../evaluation/types.js';
import { LIFT_LEVELS } from '../../graph/model.js';
import type { Code, LiftLevel } from '../../graph/model.js';
import { parseAnn } from '../../ingest/loadBrat.js';
import { DATA_LAYOUT, SAMPLE_DATA_DIR } from '../../ingest/loadDataDir.js';
import { loadMkb10Nsi } from '../../ingest/loadMkb10Nsi.js';
import { loadRuccodDictionary } from '../../ingest/loadRuccodDictionary.js';
import { mergeIcd } from '../../ingest/mergeIcd.js';

/** Two brat folders read for evaluation. */
export interface BratFolders {
  gold: EvalDocument[];
  predicted: EvalDocument[];
  /** `.ann` files of the prediction folder with no gold document (ignored). */
  extraPredictions: string[];
  /** Validation problems (`file:line: what`) read past in lenient mode, one per file at most. */
  problems: string[];
}

/** Numeric ids in numeric order, then others by code unit. */
function compareIds(a: string, b: string): number {
  const na = /^\d+$/.test(a) ? Number(a) : NaN;
  const nb = /^\d+$/.test(b) ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (!Number.isNaN(na)) return -1;
  if (!Number.isNaN(nb)) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function annIds(dir: string, flag: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${flag} ${dir}: not a directory`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ann'))
    .map((f) => f.slice(0, -4))
    .sort(compareIds);
}

/**
 * Reads a gold and a prediction brat folder. Gold documents are the gold folder's `*.ann` files,
 * each with its `.txt` beside it. Every file is validated as the corpus loader validates it
 * (`parseAnn`: offsets inside the text, mention text equal to the text there, well-formed lines;
 * a prediction against the *gold* text) and fails with `file:line: what`. The mentions compared
 * are then read from the columns as the reference evaluator reads them ({@link referenceMentions}).
 */
export function readBratFolders(goldDir: string, predDir: string, strict = true): BratFolders {
  const problems: string[] = [];
  // The reference evaluator reads columns and never rejects a file; in lenient mode a file that
  // fails validation is still read that way, and the problem is reported instead of thrown.
  const validate = (ann: string, text: string, file: string): void => {
    try {
      parseAnn(ann, text, file);
    } catch (err) {
      if (strict || !(err instanceof IngestError)) throw err;
      problems.push(err.message);
    }
  };
  const goldIds = annIds(goldDir, '--gold');
  const predIds = new Set(annIds(predDir, '--pred'));
  const gold: EvalDocument[] = [];
  const predicted: EvalDocument[] = [];
  for (const id of goldIds) {
    const annFile = join(goldDir, `${id}.ann`);
    const txtFile = join(goldDir, `${id}.txt`);
    if (!existsSync(txtFile)) throw new IngestError(annFile, 1, `no text file ${id}.txt beside it`);
    const text = readFileSync(txtFile, 'utf8');
    const ann = readFileSync(annFile, 'utf8');
    validate(ann, text, annFile);
    gold.push({ documentId: id, mentions: referenceMentions(ann) });
    if (predIds.has(id)) {
      const predFile = join(predDir, `${id}.ann`);
      const predAnn = readFileSync(predFile, 'utf8');
      validate(predAnn, text, predFile);
      predicted.push({ documentId: id, mentions: referenceMentions(predAnn) });
      predIds.delete(id);
    }
  }
  return { gold, predicted, extraPredictions: [...predIds], problems };
}

/**
 * The ICD-10 tree of a data dir, built by the same loaders as the store (RuCCoD's dictionary,
 * merged with the МКБ-10 reference when present); the project's sample when the data dir has no
 * dictionary.
 */
export async function loadIcdTree(dataDir: string): Promise<{ codes: Code[]; sample: boolean }> {
  const sample = !existsSync(join(dataDir, DATA_LAYOUT.dictionary));
  const dir = sample ? SAMPLE_DATA_DIR : dataDir;
  const ruccod = await loadRuccodDictionary(join(dir, DATA_LAYOUT.dictionary), DATA_LAYOUT.dictionary);
  const nsiDir = join(dir, DATA_LAYOUT.nsiDir);
  const csv = existsSync(nsiDir) ? readdirSync(nsiDir).filter((f) => f.endsWith('.csv')).sort()[0] : undefined;
  if (!csv) return { codes: ruccod.codes, sample };
  const nsi = await loadMkb10Nsi(join(nsiDir, csv), `${DATA_LAYOUT.nsiDir}/${csv}`);
  return { codes: mergeIcd(ruccod, nsi).codes, sample };
}

/** The `--json` shape: exactly these keys (`level` is `"STRICT"` for strict evaluation). */
export function evaluationJson(level: LiftLevel | null, e: CodingEvaluation) {
  const m = (x: Metrics) => ({ precision: x.precision, recall: x.recall, f1: x.f1, accuracy: x.accuracy, tp: x.tp, fp: x.fp, fn: x.fn });
  return {
    level: level ?? 'STRICT',
    documents: e.documents,
    documentAccuracy: e.documentAccuracy,
    ner: m(e.ner),
    nerLinking: m(e.nerLinking),
    codeAssignment: m(e.codeAssignment),
  };
}

/** The paper's table: task × precision, recall, F-score, accuracy (three decimals). */
export function evaluationTable(level: LiftLevel | null, e: CodingEvaluation): string {
  const f = (x: number) => x.toFixed(3);
  const rows: [string, Metrics][] = [
    ['NER', e.ner],
    ['NER + Linking', e.nerLinking],
    ['Code assignment', e.codeAssignment],
  ];
  const lines = [
    `Evaluation: ${level ?? 'strict'} (${e.documents} documents)`,
    `${'Task'.padEnd(16)}  ${'Precision'.padStart(9)}  ${'Recall'.padStart(6)}  ${'F-score'.padStart(7)}  ${'Accuracy'.padStart(8)}  ${'TP'.padStart(6)}  ${'FP'.padStart(6)}  ${'FN'.padStart(6)}`,
    ...rows.map(
      ([task, m]) =>
        `${task.padEnd(16)}  ${f(m.precision).padStart(9)}  ${f(m.recall).padStart(6)}  ${f(m.f1).padStart(7)}  ${f(m.accuracy).padStart(8)}  ${String(m.tp).padStart(6)}  ${String(m.fp).padStart(6)}  ${String(m.fn).padStart(6)}`,
    ),
    `Document-level code assignment accuracy: ${f(e.documentAccuracy)}`,
  ];
  return `${lines.join('\n')}\n`;
}

interface EvaluateFlags {
  gold: string;
  pred: string;
  level?: LiftLevel;
  json?: boolean;
  dataDir?: string;
  /** Fail on the first file that does not validate (default: report and read it as the reference evaluator does). */
  strict?: boolean;
}

/**
 * Runs `icdkg evaluate`: returns the text to print on stdout and the notes for stderr (missing
 * prediction files, ignored extra ones). Throws on bad input (`file:line: what`).
 */
export async function runEvaluate(flags: EvaluateFlags): Promise<{ stdout: string; stderr: string[] }> {
  const folders = readBratFolders(flags.gold, flags.pred, flags.strict ?? false);
  const stderr: string[] = [];
  if (folders.problems.length > 0) {
    const shown = folders.problems.slice(0, 5).join('; ');
    stderr.push(`${folders.problems.length} files did not validate and were read as the reference evaluator reads them (--strict to refuse): ${shown}`);
  }
  let lift: LiftFn | undefined;
  if (flags.level) {
    const dataDir = flags.dataDir ?? loadConfig().dataDir;
    const tree = await loadIcdTree(dataDir);
    if (tree.sample) stderr.push(`no ICD dictionary in ${dataDir}: lifting through the small sample tree; set ICDKG_DATA_DIR or --data-dir for the full ICD-10`);
    lift = liftFromParents(tree.codes, flags.level);
  }
  const e = evaluateCoding(folders.gold, folders.predicted, { lift });
  if (e.missingPredictions.length > 0) {
    const shown = e.missingPredictions.slice(0, 20).join(', ');
    const more = e.missingPredictions.length > 20 ? `, ... (${e.missingPredictions.length - 20} more)` : '';
    stderr.push(`${e.missingPredictions.length} gold documents have no prediction file and count as predicting nothing: ${shown}${more}`);
  }
  if (folders.extraPredictions.length > 0) {
    stderr.push(`${folders.extraPredictions.length} prediction files have no gold document and were ignored`);
  }
  const level = flags.level ?? null;
  const stdout = flags.json ? `${JSON.stringify(evaluationJson(level, e))}\n` : evaluationTable(level, e);
  return { stdout, stderr };
}

function parseLevel(value: string): LiftLevel {
  const upper = value.toUpperCase();
  if (!(LIFT_LEVELS as readonly string[]).includes(upper)) throw new InvalidArgumentError(`must be one of ${LIFT_LEVELS.join(', ')}`);
  return upper as LiftLevel;
}

/** Registers `icdkg evaluate`. */
export function register(program: Command): void {
  program
    .command('evaluate')
    .description(
      'Evaluate a folder of predicted brat .ann files against a gold brat folder (RuCCoD reference metrics: NER, NER + linking, code assignment; no store needed)',
    )
    .requiredOption('--gold <dir>', 'gold folder: every *.ann is a document, with its .txt beside it')
    .requiredOption('--pred <dir>', 'prediction folder: <id>.ann per gold document (a missing file predicts nothing)')
    .addOption(new Option('--level <level>', 'relaxed evaluation: lift codes to CATEGORY, BLOCK or CHAPTER through the ICD-10 tree').argParser(parseLevel))
    .option('--json', 'print one JSON object {level, documents, documentAccuracy, ner, nerLinking, codeAssignment} (level "STRICT" when strict)')
    .option('--data-dir <dir>', 'where the ICD-10 dictionary is, for --level (default ICDKG_DATA_DIR, then the sample)')
    .option('--strict', 'refuse files that do not validate (offsets, mention text, malformed lines) with file:line, exit 1')
    .action(async (flags: EvaluateFlags) => {
      const { stdout, stderr } = await runEvaluate(flags);
      for (const note of stderr) process.stderr.write(`icdkg evaluate: ${note}\n`);
      process.stdout.write(stdout);
    });
}
