import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { IngestError } from '../../errors.js';
import { dataDirOf, dataDirOption, positiveInt, printResult, streamPath } from '../options.js';
import { progressDisplay } from '../progress.js';
import { buildRumedTop3 } from '../../pipeline/prediction/training/buildRumedTop3.js';
import { saveLinearPredictor } from '../../pipeline/prediction/linear/linearModelFiles.js';
import { readVisits } from '../../ingest/rumedtop3.js';
import { evaluateTopK } from '../../pipeline/prediction/training/evaluateTopK.js';
import type { TopKScores } from '../../pipeline/prediction/training/evaluateTopK.js';
import { loadDpModel } from '../../pipeline/prediction/ensemble/loadDpModel.js';
import { attachNeuralMember, memberEnsembleSettings } from '../../pipeline/prediction/ensemble/neuralMember.js';
import { readOnnxManifest } from '../../pipeline/backends/readOnnxManifest.js';

/** The committed neural member (`scripts/train/train_rumedtop3_navec.py`), folded into `dp build` by default. */
export const DEFAULT_NEURAL_MEMBER = fileURLToPath(new URL('../../../models/navec-rumedtop3', import.meta.url));

/**
 * Adds the neural member to a freshly written `dp build` folder when its labels are the linear
 * model's, and scores the ensemble on dev; a line saying why when it is not used.
 */
async function addNeuralMember(
  out: string,
  memberDir: string,
  labels: readonly string[],
  dataDir: string,
): Promise<{ used: { weight: number; mode: string; dev: TopKScores | null } | null; note: string }> {
  if (!existsSync(path.join(memberDir, 'manifest.json'))) return { used: null, note: `neural member ${memberDir} not found: linear model alone\n` };
  const settings = await memberEnsembleSettings(memberDir);
  if (!settings) throw new Error(`${memberDir}: the manifest recommends no ensemble weight ("ensemble": { "weight", "mode" })`);
  const memberLabels = (await readOnnxManifest(memberDir, 'multi-label-classification')).labels ?? [];
  if ([...memberLabels].sort().join('\n') !== [...labels].join('\n')) {
    return { used: null, note: `neural member not used: its ${memberLabels.length} labels differ from the ${labels.length} of this training data\n` };
  }
  await attachNeuralMember(out, memberDir, settings.weight, settings.mode);
  const devPath = path.join(dataDir, 'rumedtop3', 'dev.jsonl');
  let dev: TopKScores | null = null;
  if (existsSync(devPath)) {
    const visits = readVisits(devPath, { requireCode: true });
    const model = await loadDpModel(out, 'auto');
    try {
      const ranked = await model.predictMany(visits.map((v) => ({ complaints: v.symptoms })), 3);
      dev = evaluateTopK(ranked.map((r) => r.map((p) => p.code)), visits.map((v) => v.code!), 3);
    } finally {
      await model.close();
    }
  }
  const devLine = dev ? `dev accuracy ${dev.accuracy.toFixed(4)}, hit@3 ${dev.hitAtK.toFixed(4)}` : 'no dev split found';
  return { used: { ...settings, dev }, note: `with the neural member (${settings.mode}, weight ${settings.weight}): ${devLine}\n` };
}

/**
 * `icdkg dp build` and `icdkg dp predict`: the diagnosis-prediction baseline on RuMedTop3.
 *
 * @example icdkg dp build --data-dir ../shared/data --out models/rumedtop3-linear
 * @example icdkg dp predict --model models/rumedtop3-linear --in visits.jsonl --out predictions.jsonl --top 3
 */
export function register(program: Command): void {
  const dp = program.command('dp').description('diagnosis prediction: train the baseline and predict visit codes');

  dataDirOption(
    dp.command('build').description('train the baseline on DATA/rumedtop3/train.jsonl (dev.jsonl, when present, is only scored) and save it'),
    'data folder holding rumedtop3/train.jsonl',
  )
    .requiredOption('--out <dir>', 'model folder to write (manifest.json, vocabulary.json, weights.f32; neural/ and ensemble.json with a neural member)')
    .option('--neural <dir>', 'ONNX neural member combined with the linear model (its manifest gives the weight)', DEFAULT_NEURAL_MEMBER)
    .option('--no-neural', 'the linear model alone')
    .option('--json', 'print {labels, features, trainSeconds, dev, ensemble, out} as one JSON object')
    .action(async (opts: { dataDir?: string; data?: string; out: string; neural: string | false; json?: boolean }) => {
      const out = path.resolve(opts.out);
      // Training is one synchronous pass (tens of seconds on the full data): say so before it starts.
      const progress = progressDisplay('dp build');
      progress.update(0, 0, `training on ${path.join(dataDirOf(opts), 'rumedtop3')} ...`);
      const build = buildRumedTop3(dataDirOf(opts), undefined, path.basename(out));
      progress.stop();
      saveLinearPredictor(out, build.predictor, build.extras);
      const devLine = build.dev
        ? `dev accuracy ${build.dev.accuracy.toFixed(4)}, hit@3 ${build.dev.hitAtK.toFixed(4)} (${build.dev.n} visits)`
        : 'no dev split found';
      const neural = opts.neural === false ? { used: null, note: '' } : await addNeuralMember(out, path.resolve(opts.neural), build.predictor.labels, dataDirOf(opts));
      printResult(
        opts.json,
        { labels: build.predictor.labels.length, features: build.predictor.vectorizer.size, trainSeconds: build.trainSeconds, dev: build.dev ?? null, ensemble: neural.used, out },
        `trained ${build.predictor.labels.length} labels, ${build.predictor.vectorizer.size} features in ${build.trainSeconds.toFixed(1)} s; linear ${devLine}\n${neural.note}wrote ${out}\n`,
      );
    });

  dp.command('predict')
    .description('rank codes for each line {"idx", "symptoms", ...} of a JSONL file; writes {"idx", "prediction": [codes]}')
    .requiredOption('--model <dir>', 'model folder written by `dp build`')
    .requiredOption('--in <file>', 'input JSONL (- for stdin)')
    .requiredOption('--out <file>', 'output JSONL (- for stdout)')
    .option('--top <k>', 'codes per visit', positiveInt, 3)
    .action(async (opts: { model: string; in: string; out: string; top: number }) => {
      let visits;
      try {
        visits = readVisits(streamPath(opts.in, 'in'), { requireCode: false });
      } catch (err) {
        if (err instanceof IngestError) {
          process.stderr.write(`icdkg dp predict: ${err.message}\n`);
          process.exitCode = 1;
          return;
        }
        throw err;
      }
      const model = await loadDpModel(path.resolve(opts.model), 'auto');
      let ranked: string[][];
      try {
        ranked = (await model.predictMany(visits.map((v) => ({ complaints: v.symptoms })), opts.top)).map((r) => r.map((p) => p.code));
      } finally {
        await model.close();
      }
      const lines = visits.map((v, i) => JSON.stringify({ idx: v.idx, prediction: ranked[i] }));
      const body = lines.length ? `${lines.join('\n')}\n` : '';
      if (opts.out === '-') {
        process.stdout.write(body);
        process.stderr.write(`icdkg dp predict: predicted ${visits.length} visits\n`);
        return;
      }
      mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
      writeFileSync(opts.out, body);
      process.stdout.write(`predicted ${visits.length} visits -> ${opts.out}\n`);
    });
}
