import { loadConfig } from '../config.js';
import { evaluateCoding } from '../evaluation/evaluateCoding.js';
import { liftFromParents } from '../evaluation/liftFromParents.js';
import { evaluationJson, evaluationTable } from '../evaluation/report.js';
import type { LiftFn } from '../evaluation/types.js';
import type { LiftLevel } from '../graph/model.js';
import { loadIcdTree } from '../ingest/loadIcdTree.js';
import { readBratFolders } from '../ingest/readBratFolders.js';

/** What `icdkg evaluate` is asked. */
export interface EvaluateFlags {
  gold: string;
  pred: string;
  level?: LiftLevel;
  json?: boolean;
  dataDir?: string;
  /** Fail on the first file that does not validate (default: report and read it as the reference evaluator does). */
  strict?: boolean;
  /** Encoding of the `.txt` and `.ann` files (a TextDecoder label; UTF-8 by default). */
  encoding?: string;
  /** With `level`: evaluate even when codes cannot be lifted (no dictionary, or codes missing from it); they stay unlifted. */
  allowUnliftable?: boolean;
}

/** How many codes are shown when `evaluate --level` refuses. */
const SHOWN_UNLIFTABLE = 5;

/**
 * Runs `icdkg evaluate` (and its tests): returns the text to print on stdout and the notes for stderr (missing
 * prediction files, ignored extra ones). Throws on bad input (`file:line: what`).
 *
 * @example const { stdout } = await runEvaluate({ gold: 'gold/', pred: 'pred/', json: true });
 */
export async function runEvaluate(flags: EvaluateFlags): Promise<{ stdout: string; stderr: string[] }> {
  const folders = readBratFolders(flags.gold, flags.pred, flags.strict ?? false, flags.encoding);
  const stderr: string[] = [];
  if (folders.problems.length > 0) {
    const shown = folders.problems.slice(0, 5).join('; ');
    stderr.push(`${folders.problems.length} files did not validate and were read as the reference evaluator reads them (--strict to refuse): ${shown}`);
  }
  let lift: LiftFn | undefined;
  let unliftable: string[] = [];
  if (flags.level) {
    const dataDir = flags.dataDir ?? loadConfig().dataDir;
    const tree = await loadIcdTree(dataDir);
    // A code the tree does not know cannot be lifted; lifting it to itself would silently count
    // it as a miss against its lifted peers (issue 14: F1 0.780 instead of 0.887 on the sample tree).
    const known = new Set(tree.codes.map((c) => c.code));
    const codes = new Set([...folders.gold, ...folders.predicted].flatMap((d) => d.mentions.map((m) => m.code)).filter((c): c is string => typeof c === 'string' && c !== ''));
    unliftable = [...codes].filter((c) => !known.has(c)).sort();
    const shown = `${unliftable.slice(0, SHOWN_UNLIFTABLE).join(', ')}${unliftable.length > SHOWN_UNLIFTABLE ? ', ...' : ''}`;
    const what = `${unliftable.length} of ${codes.size} codes are not in the ICD-10 tree${unliftable.length > 0 ? ` (${shown})` : ''}`;
    const where = tree.sample ? `no ICD-10 dictionary in ${dataDir} (set ICDKG_DATA_DIR or --data-dir to the full data); ` : '';
    if ((tree.sample || unliftable.length > 0) && !flags.allowUnliftable) {
      throw new Error(`cannot lift codes to ${flags.level}: ${where}${what}. Pass --allow-unliftable to evaluate them unlifted`);
    }
    if (tree.sample || unliftable.length > 0) stderr.push(`${where}${what}; they are evaluated unlifted (--allow-unliftable)`);
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
  const stdout = flags.json ? `${JSON.stringify({ ...evaluationJson(level, e), unliftable: unliftable.length })}\n` : evaluationTable(level, e);
  return { stdout, stderr };
}

