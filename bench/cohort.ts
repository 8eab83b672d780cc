/**
 * `npm run bench:cohort`: generates a SYNTHETIC cohort of the paper's size (865,539 appointments
 * of 164,527 patients) and links every conclusion, each step in a child process (`icdkg cohort
 * synth`, `icdkg cohort link`), and prints appointments/s, wall and CPU time and the peak resident
 * memory of each child (VmHWM from /proc, sampled; worker threads share their process's memory).
 * Bars (issue 6): total <= 10 minutes, peak RSS <= 4 GiB.
 *
 *   ICDKG_DATA_DIR=../shared/data npm run bench:cohort [-- --appointments 50000] [--coder DIR] [--workers N] [--keep]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PAPER_VISITS_MEAN } from '../src/synth/synthesizeCohort.js';

const { values } = parseArgs({
  options: {
    appointments: { type: 'string', default: '865539' },
    coder: { type: 'string' },
    workers: { type: 'string' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const BARS = { seconds: 600, rssBytes: 4 * 1024 ** 3 };
const dataDir = path.resolve(process.env.ICDKG_DATA_DIR ?? '../shared/data');
const appointments = Number(values.appointments);
const patients = appointments === 865_539 ? 164_527 : Math.max(1, Math.round(appointments / PAPER_VISITS_MEAN));
const work = mkdtempSync(path.join(tmpdir(), 'icdkg-bench-cohort-'));
const cli = path.resolve('src/cli/main.ts');
const TICK = 100; // clock ticks per second of /proc/<pid>/stat (USER_HZ)

interface ChildRun {
  seconds: number;
  cpuSeconds: number;
  peakRssBytes: number;
}

/** Runs `icdkg ...` as a child node process, sampling its peak RSS and CPU time until it exits. */
function icdkg(args: string[]): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    let peak = 0;
    let cpu = 0;
    const sample = (): void => {
      try {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
        if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
        const stat = readFileSync(`/proc/${child.pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        cpu = (Number(fields[11]) + Number(fields[12])) / TICK;
      } catch {
        // The child has exited between two samples.
      }
    };
    const timer = setInterval(sample, 100);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`icdkg ${args[0]} ${args[1]} exited with ${code}`));
      else resolve({ seconds: (performance.now() - started) / 1000, cpuSeconds: cpu, peakRssBytes: peak });
    });
  });
}

const gib = (b: number): string => `${(b / 1024 ** 3).toFixed(2)} GiB`;
try {
  let coder = values.coder ? path.resolve(values.coder) : path.resolve('models', 'ruccod-lexical');
  let coderRun: ChildRun | null = null;
  if (!existsSync(path.join(coder, 'manifest.json'))) {
    coder = path.join(work, 'coder');
    process.stdout.write(`no coder at models/ruccod-lexical: building one into ${coder} (not counted in the bar)\n`);
    coderRun = await icdkg(['coder', 'build', '--data', dataDir, '--out', coder]);
  }
  const cohort = path.join(work, 'cohort.jsonl');
  process.stdout.write(`SYNTHETIC cohort: ${appointments} appointments of ${patients} patients\n`);
  const synth = await icdkg(['cohort', 'synth', '--data', dataDir, '--patients', String(patients), '--appointments', String(appointments), '--seed', values.seed!, '--out', cohort]);
  const link = await icdkg(['cohort', 'link', '--cohort', cohort, '--model', coder, ...(values.workers ? ['--workers', values.workers] : [])]);
  const total = synth.seconds + link.seconds;
  const peak = Math.max(synth.peakRssBytes, link.peakRssBytes);
  const lines = [
    '',
    `bench:cohort (SYNTHETIC cohort, ${appointments} appointments of ${patients} patients, ${(statSync(cohort).size / 1024 ** 2).toFixed(0)} MiB)`,
    `| step | wall s | CPU s | appointments/s | peak RSS |`,
    `| --- | --- | --- | --- | --- |`,
    `| generate | ${synth.seconds.toFixed(1)} | ${synth.cpuSeconds.toFixed(1)} | ${Math.round(appointments / synth.seconds)} | ${gib(synth.peakRssBytes)} |`,
    `| link | ${link.seconds.toFixed(1)} | ${link.cpuSeconds.toFixed(1)} | ${Math.round(appointments / link.seconds)} | ${gib(link.peakRssBytes)} |`,
    `| total | ${total.toFixed(1)} | ${(synth.cpuSeconds + link.cpuSeconds).toFixed(1)} | ${Math.round(appointments / total)} | ${gib(peak)} |`,
    coderRun ? `(coder build, not counted: ${coderRun.seconds.toFixed(1)} s)` : '',
    `bar: total <= ${BARS.seconds} s: ${total <= BARS.seconds ? 'PASS' : 'FAIL'}; peak RSS <= 4 GiB: ${peak <= BARS.rssBytes ? 'PASS' : 'FAIL'}`,
    `load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (the machine is shared)`,
  ];
  process.stdout.write(`${lines.filter((l) => l !== '').join('\n')}\n`);
} finally {
  if (values.keep) process.stdout.write(`kept ${work}\n`);
  else rmSync(work, { recursive: true, force: true });
}
