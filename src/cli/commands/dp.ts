import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { IngestError } from '../../errors.js';
import { dataDirOf, dataDirOption, positiveInt, printResult, streamPath } from '../options.js';
import { progressDisplay } from '../progress.js';
import { buildRumedTop3, rankVisits } from '../../pipeline/prediction/training/buildRumedTop3.js';
import { loadLinearPredictor, saveLinearPredictor } from '../../pipeline/prediction/linear/linearModelFiles.js';
import { readVisits } from '../../ingest/rumedtop3.js';

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
    .requiredOption('--out <dir>', 'model folder to write (manifest.json, vocabulary.json, weights.f32)')
    .option('--json', 'print {labels, features, trainSeconds, dev, out} as one JSON object')
    .action((opts: { dataDir?: string; data?: string; out: string; json?: boolean }) => {
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
      printResult(
        opts.json,
        { labels: build.predictor.labels.length, features: build.predictor.vectorizer.size, trainSeconds: build.trainSeconds, dev: build.dev ?? null, out },
        `trained ${build.predictor.labels.length} labels, ${build.predictor.vectorizer.size} features in ${build.trainSeconds.toFixed(1)} s; ${devLine}\nwrote ${out}\n`,
      );
    });

  dp.command('predict')
    .description('rank codes for each line {"idx", "symptoms", ...} of a JSONL file; writes {"idx", "prediction": [codes]}')
    .requiredOption('--model <dir>', 'model folder written by `dp build`')
    .requiredOption('--in <file>', 'input JSONL (- for stdin)')
    .requiredOption('--out <file>', 'output JSONL (- for stdout)')
    .option('--top <k>', 'codes per visit', positiveInt, 3)
    .action((opts: { model: string; in: string; out: string; top: number }) => {
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
      const { predictor } = loadLinearPredictor(path.resolve(opts.model));
      const ranked = rankVisits(predictor, visits, opts.top);
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
