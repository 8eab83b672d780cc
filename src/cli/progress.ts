import cliProgress from 'cli-progress';

/** A progress display on stderr: a bar on a terminal, a plain line every `everyMs` otherwise. */
export interface ProgressDisplay {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

/**
 * The one way commands draw progress: the pipeline reports through callbacks and the CLI draws
 * here, so that no bar is ever written into a pipe.
 *
 * @example const p = progressDisplay('linking'); p.update(10, 100, '10 appointments'); p.stop();
 */
export function progressDisplay(name: string, everyMs = 10_000): ProgressDisplay {
  // `icdkg --quiet`: nothing at all.
  if (process.env.ICDKG_QUIET === '1') return { update: () => undefined, stop: () => undefined };
  if (process.stderr.isTTY) {
    let bar: cliProgress.SingleBar | null = null;
    return {
      update(done, total, label) {
        if (!bar) {
          bar = new cliProgress.SingleBar({ stream: process.stderr, format: `${name} [{bar}] {percentage}% | {label} | ETA {eta}s`, hideCursor: true }, cliProgress.Presets.shades_classic);
          bar.start(Math.max(total, 1), done, { label });
        }
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { label });
      },
      stop: () => bar?.stop(),
    };
  }
  let last = performance.now();
  return {
    update(done, total, label) {
      const now = performance.now();
      if (now - last < everyMs) return;
      last = now;
      process.stderr.write(`${name}: ${label}${total ? ` (${((100 * done) / total).toFixed(1)} %)` : ''}\n`);
    },
    stop: () => undefined,
  };
}
