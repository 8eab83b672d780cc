import type { ChildProcess } from 'node:child_process';

/**
 * Collects a child process's stdout as complete lines (as they arrive) and its stderr as text:
 * the durability tests read each importer's acknowledgements line by line.
 *
 * @example const c = collectLines(spawn(...)); c.lines // ['ok 1', ...] as they arrive
 */
export function collectLines(proc: ChildProcess): { process: ChildProcess; lines: string[]; stderr: () => string } {
  const lines: string[] = [];
  let buffer = '';
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    lines.push(...parts);
  });
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return { process: proc, lines, stderr: () => stderr };
}
