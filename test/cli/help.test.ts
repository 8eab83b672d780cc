import { execFile } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';

const main = path.resolve('src/cli/main.ts');
const tsx = path.resolve('node_modules/.bin/tsx');

function run(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, [main, ...args], { env: { ...process.env, ICDKG_LOG_LEVEL: 'silent' } }, (err, stdout, stderr) => {
      resolve({ status: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

/** Every command path of the program as `commands/index.ts` registers it (`['data', 'fetch']`, ...). */
function commandPaths(): string[][] {
  const program = new Command('icdkg');
  for (const register of commands) register(program);
  const out: string[][] = [];
  const walk = (cmd: Command, prefix: string[]): void => {
    for (const sub of cmd.commands) {
      const p = [...prefix, sub.name()];
      out.push(p);
      walk(sub, p);
    }
  };
  walk(program, []);
  return out;
}

/** Runs `fn` over the items with at most `limit` in flight (each one is a tsx start-up). */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

describe('icdkg --help', () => {
  const paths = commandPaths();

  it('registers the commands of the CLI section (serve, seed, data fetch)', () => {
    const names = paths.map((p) => p.join(' '));
    expect(names).toEqual(expect.arrayContaining(['serve', 'seed', 'data', 'data fetch']));
  });

  it(
    'answers --help on every registered command with exit code 0 and a usage line',
    async () => {
      const results = await mapLimit(paths, 3, async (p) => ({ path: p.join(' '), ...(await run([...p, '--help'])) }));
      for (const r of results) {
        expect({ command: r.path, status: r.status, stderr: r.stderr }).toEqual({ command: r.path, status: 0, stderr: '' });
        expect(r.stdout.split('\n')[0], r.path).toMatch(new RegExp(`^Usage: icdkg ${r.path} `));
      }
    },
    240_000,
  );

  it('answers --help on the program itself, listing every top-level command', async () => {
    const r = await run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: icdkg /);
    for (const p of paths.filter((x) => x.length === 1)) expect(r.stdout).toContain(`  ${p[0]}`);
  });

  it('exits non-zero on an unknown command, naming it and suggesting the nearest one', async () => {
    const unknown = await run(['frobnicate']);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain("error: unknown command 'frobnicate'");
    const typo = await run(['sed']);
    expect(typo.status).not.toBe(0);
    expect(typo.stderr).toContain("error: unknown command 'sed'");
    expect(typo.stderr).toContain('(Did you mean seed?)');
  });
});
