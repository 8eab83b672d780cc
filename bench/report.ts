import { readFileSync } from 'node:fs';

/** A bar and whether the run met it: `[line, ok]`. */
export type Bar = readonly [line: string, ok: boolean];

/**
 * Prints each bar as `PASS  line` or `FAIL  line` after a blank line; a failed bar makes the
 * process exit non-zero.
 *
 * @example printBars([['p99 = 5 ms (bar <= 10 ms)', true]]);
 */
export function printBars(bars: readonly Bar[]): void {
  process.stdout.write('\n');
  for (const [line, ok] of bars) process.stdout.write(`${ok ? 'PASS' : 'FAIL'}  ${line}\n`);
  if (bars.some(([, ok]) => !ok)) process.exitCode = 1;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); null elsewhere. */
export function cpuSeconds(pid: number): number | null {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
