import { describe, expect, it } from 'vitest';
import { buildRumedTop3 } from '../../src/pipeline/prediction/training/buildRumedTop3.js';

const dataDir = process.env.ICDKG_DATA_DIR;
if (!dataDir) console.warn('skipped: ICDKG_DATA_DIR not set (RuMedTop3 full-data test)');

describe.skipIf(!dataDir)('RuMedTop3 baseline on the full data', () => {
  // Issue 6's bars are accuracy 0.52 and hit@3 0.75 on dev (`npm run bench:dp`). The default
  // model prints 0.4976 / 0.7524: the hit@3 bar is asserted; accuracy has only a regression
  // floor, since the accuracy bar is not reached (see predictConfig.ts for what was tried). The
  // always-most-frequent baseline scores about 0.11 / 0.22.
  it('trains on train (+ label knowledge) with dev hit@3 >= 0.75 and accuracy >= 0.49', () => {
    const build = buildRumedTop3(dataDir!);
    expect(build.predictor.labels).toHaveLength(105);
    expect(build.predictor.mlp).not.toBeNull();
    expect(build.extras.training.files.map((f) => f.path)).toEqual([
      'rumedtop3/train.jsonl',
      'ruccod/mkb2descr.yaml',
      'ruccod/train',
    ]);
    expect(build.dev!.n).toBe(848);
    expect(build.dev!.hitAtK).toBeGreaterThanOrEqual(0.75);
    expect(build.dev!.accuracy).toBeGreaterThanOrEqual(0.49);
  }, 600_000);
});
