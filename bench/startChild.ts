import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Starts a TypeScript entry point in a child process (under tsx, from the repo root) and resolves
 * with the GraphQL URL it prints (`... http://host:port/graphql`), so that a bench's load
 * generator and the server under test use separate processes.
 *
 * @example const { child, url } = await startChild(['src/cli/main.ts', 'serve', '--port', '0'], { ICDKG_LOG_LEVEL: 'warn' });
 */
export function startChild(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /(http:\/\/[^\s)"]+\/graphql)/.exec(out);
      if (match) {
        child.stdout!.off('data', onData);
        child.stderr!.off('data', onData);
        // Keep draining the pipes so the child never blocks on a full pipe.
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({ child, url: match[1]! });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before listening:\n${out.slice(-2000)}`)));
  });
}
