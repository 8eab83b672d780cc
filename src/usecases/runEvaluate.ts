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
}

/**
 * Runs `icdkg evaluate` (and its tests): returns the text to print on stdout and the notes for stderr (missing
 * prediction files, ignored extra ones). Throws on bad input (`file:line: what`).
 *
 * @example const { stdout } = await runEvaluate({ gold: 'gold/', pred: 'pred/', json: true });
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

