import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { IngestError } from '../../errors.js';
import { positiveInt } from '../options.js';
import { buildRumedTop3 } from '../../pipeline/prediction/training/buildRumedTop3.js';
import { saveLinearPredictor } from '../../pipeline/prediction/linear/linearModelFiles.js';
import { readVisits } from '../../ingest/rumedtop3.js';
import { evaluateTopK } from '../../pipeline/prediction/training/evaluateTopK.js';
import { loadDpModel } from '../../pipeline/prediction/ensemble/loadDpModel.js';
import { attachNeuralMember, memberEnsembleSettings } from '../../pipeline/prediction/ensemble/neuralMember.js';
import { readOnnxManifest } from '../../pipeline/backends/readOnnxManifest.js';

/** The committed neural member (`scripts/train/train_rumedtop3_navec.py`), folded into `dp build` by default. */
export const DEFAULT_NEURAL_MEMBER = fileURLToPath(new URL('../../../models/navec-rumedtop3', import.meta.url));

/**
 * `icdkg dp build` and `icdkg dp predict`: the diagnosis-prediction baseline on RuMedTop3.
 *
 * @example icdkg dp build --data ../shared/data --out models/rumedtop3-linear
 * @example icdkg dp predict --model models/rumedtop3-linear --in visits.jsonl --out predictions.jsonl --top 3
 */
export function register(program: Command): void {
  const dp = program.command('dp').description('diagnosis prediction: train the baseline and predict visit codes');

  dp.command('build')
    .description('train the baseline on DATA/rumedtop3/train.jsonl (dev.jsonl, when present, is only scored) and save it')
    .option('--data <dir>', 'data folder holding rumedtop3/train.jsonl', process.env.ICDKG_DATA_DIR ?? './data')
    .requiredOption('--out <dir>', 'model folder to write (manifest.json, vocabulary.json, weights.f32; neural/ and ensemble.json with a neural member)')
    .option('--neural <dir>', 'ONNX neural member to combine with the linear model (its manifest gives the weight)', DEFAULT_NEURAL_MEMBER)
    .option('--no-neural', 'the linear model alone')
    .action(async (opts: { data: string; out: string; neural: string | false }) => {
      const out = path.resolve(opts.out);
      const dataDir = path.resolve(opts.data);
      const build = buildRumedTop3(dataDir, undefined, path.basename(out));
      saveLinearPredictor(out, build.predictor, build.extras);
      const devLine = build.dev
        ? `dev accuracy ${build.dev.accuracy.toFixed(4)}, hit@3 ${build.dev.hitAtK.toFixed(4)} (${build.dev.n} visits)`
        : 'no dev split found';
      process.stdout.write(
        `trained ${build.predictor.labels.length} labels, ${build.predictor.vectorizer.size} features in ${build.trainSeconds.toFixed(1)} s; linear ${devLine}\n`,
      );
      if (opts.neural !== false && existsSync(path.join(opts.neural, 'manifest.json'))) {
        const settings = await memberEnsembleSettings(opts.neural);
        if (!settings) throw new Error(`${opts.neural}: the manifest recommends no ensemble weight ("ensemble": { "weight", "mode" })`);
        const memberLabels = (await readOnnxManifest(opts.neural, 'multi-label-classification')).labels ?? [];
        if (memberLabels.slice().sort().join('\n') !== [...build.predictor.labels].join('\n')) {
          process.stdout.write(`neural member ${opts.neural} not used: its ${memberLabels.length} labels differ from the ${build.predictor.labels.length} of this training data\nwrote ${out}\n`);
          return;
        }
        await attachNeuralMember(out, opts.neural, settings.weight, settings.mode);
        const model = await loadDpModel(out, 'auto');
        try {
          const devPath = path.join(dataDir, 'rumedtop3', 'dev.jsonl');
          if (existsSync(devPath)) {
            const dev = readVisits(devPath, { requireCode: true });
            const ranked = await model.predictMany(dev.map((v) => ({ complaints: v.symptoms })), 3);
            const s = evaluateTopK(ranked.map((r) => r.map((p) => p.code)), dev.map((v) => v.code!), 3);
            process.stdout.write(`with the neural member (${settings.mode} weight ${settings.weight}): dev accuracy ${s.accuracy.toFixed(4)}, hit@3 ${s.hitAtK.toFixed(4)}\n`);
          }
        } finally {
          await model.close();
        }
      }
      process.stdout.write(`wrote ${out}\n`);
    });

  dp.command('predict')
    .description('rank codes for each line {"idx", "symptoms", ...} of a JSONL file; writes {"idx", "prediction": [codes]}')
    .requiredOption('--model <dir>', 'model folder written by `dp build`')
    .requiredOption('--in <file>', 'input JSONL')
    .requiredOption('--out <file>', 'output JSONL')
    .option('--top <k>', 'codes per visit', positiveInt, 3)
    .action(async (opts: { model: string; in: string; out: string; top: number }) => {
      let visits;
      try {
        visits = readVisits(opts.in, { requireCode: false });
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
      mkdirSync(path.dirname(path.resolve(opts.out)), { recursive: true });
      writeFileSync(opts.out, lines.length ? `${lines.join('\n')}\n` : '');
      process.stdout.write(`predicted ${visits.length} visits -> ${opts.out}\n`);
    });
}
