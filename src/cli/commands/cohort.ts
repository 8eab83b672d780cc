import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { linkCohort } from '../../pipeline/coding/batch/linkCohort.js';
import { resolveNoiseConfig } from '../../synth/noiseConfig.js';
import { loadSynthSources } from '../../synth/synthSources.js';
import { synthesizeCohort } from '../../synth/synthesizeCohort.js';
import { importCohort } from '../../usecases/importCohort.js';
import { createStore } from '../../createStore.js';
import { dataDirOf, dataDirOption, nonNegativeInt, positiveInt, positiveNumber, printResult, share, configFor } from '../options.js';
import { progressDisplay } from '../progress.js';

/**
 * `icdkg cohort synth|link|import`: EHR cohorts (docs/cohorts.md).
 *
 * @example icdkg cohort synth --data-dir ../shared/data --patients 5000 --seed 42 --out demo.jsonl
 * @example icdkg cohort link --cohort demo.jsonl --model models/ruccod-lexical
 */
export function register(program: Command): void {
  const cohort = program.command('cohort').description('EHR cohorts: synthesise a demonstration cohort, link conclusions to codes, import into the store');

  dataDirOption(
    cohort.command('synth').description('write a SYNTHETIC demonstration cohort (JSONL, docs/cohorts.md) drawn from RuCCoD and RuMedTop3 training data'),
    'data folder laid out like ../shared/data',
  )
    .requiredOption('--patients <n>', 'number of patients', positiveInt)
    .requiredOption('--seed <n>', 'PRNG seed (same seed, same cohort)', nonNegativeInt)
    .requiredOption('--out <file>', 'cohort JSONL to write (- for stdout)')
    .option('--json', 'print the report as one JSON object on stderr-free stdout (not with --out -)')
    .option('--appointments <n>', 'exact number of appointments (default: drawn with --visits-mean)', positiveInt)
    .option('--visits-mean <m>', 'mean visits per patient (default 5.26, the paper cohort)', positiveNumber)
    .option('--test-share <q>', 'share of patients in the manual-test subset (default 0.1)', share)
    .option('--noise-config <file>', 'JSON noise model overriding the defaults (see docs/cohorts.md)')
    .action(async (flags: { dataDir?: string; data?: string; json?: boolean; patients: number; seed: number; out: string; appointments?: number; visitsMean?: number; testShare?: number; noiseConfig?: string }) => {
      const noise = flags.noiseConfig ? resolveNoiseConfig(JSON.parse(readFileSync(flags.noiseConfig, 'utf8'))) : undefined;
      const sources = await loadSynthSources(dataDirOf(flags));
      const report = await synthesizeCohort(sources, flags.out === '-' ? process.stdout : path.resolve(flags.out), {
        patients: flags.patients,
        seed: flags.seed,
        command: `icdkg cohort synth --patients ${flags.patients} --seed ${flags.seed}`,
        ...(flags.appointments !== undefined ? { appointments: flags.appointments } : {}),
        ...(flags.visitsMean !== undefined ? { visitsMean: flags.visitsMean } : {}),
        ...(flags.testShare !== undefined ? { manualTestShare: flags.testShare } : {}),
        ...(noise ? { noise } : {}),
      });
      if (flags.json && flags.out !== '-') printResult(true, { out: path.resolve(flags.out), ...report, synthetic: true }, '');
      process.stderr.write(
        `icdkg: wrote SYNTHETIC cohort ${flags.out === '-' ? 'to stdout' : flags.out}: ${report.appointments} appointments of ${report.patients} patients (${report.testPatients} in the manual-test subset) in ${report.seconds.toFixed(1)} s (${Math.round(report.appointments / report.seconds)} appointments/s)\n`,
      );
    });

  cohort
    .command('link')
    .description('code every conclusion of a cohort with a coder (worker threads, resumable) into layer "linked"')
    .requiredOption('--cohort <file-or-name>', 'cohort JSONL file, or the name of a cohort corpus in the store')
    .requiredOption('--model <dir>', 'coder model directory (icdkg coder build --out)')
    .option('--out <file>', 'linked JSONL to write (file cohorts; default: COHORT.linked.jsonl beside it)')
    .option('--workers <n>', 'worker threads (default: number of cores)', positiveInt)
    .option('--restart', 'discard an existing output instead of resuming it')
    .option('--data-dir <dir>', 'data folder of the embedded store, for a cohort in the store (default: $ICDKG_DATA_DIR, then ./data)')
    .option('--json', 'print the linking report as one JSON object on stdout')
    .action(async (flags: { cohort: string; model: string; out?: string; workers?: number; restart?: boolean; json?: boolean; dataDir?: string }) => {
      const progress = progressDisplay('linking');
      const report = await linkCohort({
        cohort: flags.cohort,
        modelDir: path.resolve(flags.model),
        ...(flags.out ? { out: path.resolve(flags.out) } : {}),
        ...(flags.workers ? { workers: flags.workers } : {}),
        restart: flags.restart === true,
        onProgress: (p) => progress.update(p.done, p.total, `${p.appointments} appointments`),
        openStore: () => createStore(configFor(flags)),
      }).finally(() => progress.stop());
      printResult(flags.json, report, '');
      process.stderr.write(
        `icdkg: linked ${report.linked} appointments (${report.skipped} already linked, ${report.cacheHits} identical conclusions reused) in ${report.seconds.toFixed(1)} s (${Math.round(report.linked / Math.max(report.seconds, 1e-9))} appointments/s, ${report.workers} workers)${report.out ? `; wrote ${report.out}` : '; stored layer "linked"'}\n`,
      );
    });

  cohort
    .command('import')
    .description('load a cohort file (and its linked file) into the configured store as a corpus with layers original, manual, linked')
    .requiredOption('--cohort <file>', 'cohort JSONL file')
    .requiredOption('--name <corpus>', 'corpus name')
    .option('--linked <file>', 'linked JSONL (default: COHORT.linked.jsonl when it exists)')
    .option('--merge', 'add to an existing corpus of that name (without --merge or --replace, an existing name is an error)')
    .option('--replace', 'delete an existing corpus of that name first (once the file has been checked)')
    .option('--json', 'print the import report as one JSON object on stdout')
    .option('--data-dir <dir>', 'data folder of the embedded store (default: $ICDKG_DATA_DIR, then ./data)')
    .action(async (flags: { cohort: string; name: string; linked?: string; json?: boolean; dataDir?: string; merge?: boolean; replace?: boolean }) => {
      if (flags.merge && flags.replace) throw new Error('give --merge or --replace, not both');
      const store = await createStore(configFor(flags));
      try {
        const report = await importCohort(store, path.resolve(flags.cohort), flags.name, flags.linked ? path.resolve(flags.linked) : undefined, {
          mode: flags.merge ? 'merge' : flags.replace ? 'replace' : 'create',
        });
        printResult(flags.json, { corpus: flags.name, ...report }, '');
        process.stderr.write(`icdkg: imported ${report.appointments} appointments of ${report.patients} patients into corpus ${flags.name} (layers: ${report.layers.join(', ')})\n`);
      } finally {
        await store.close();
      }
    });
}
