import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { loadConfig } from '../config.js';
import type { Config } from '../config.js';
import { textEncoding } from '../ingest/readUtf8File.js';

/**
 * Argument parsers shared by the commands (commander calls them with the option's text and prints
 * `error: option '--x <n>' argument 'abc' is invalid. <message>` on a throw).
 */

/** A whole number >= 1. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}

/** A whole number >= 0. */
export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer');
  return n;
}

/** A number > 0. */
export function positiveNumber(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('must be a positive number');
  return n;
}

/** A text encoding Node's TextDecoder knows (`--encoding windows-1251`), as its canonical name. */
export function encoding(value: string): string {
  const name = textEncoding(value);
  if (name === null) throw new InvalidArgumentError('is not a text encoding Node knows (e.g. utf-8, windows-1251, koi8-r, ibm866)');
  return name;
}

/** The `--encoding` option of the commands that read text folders. */
export const ENCODING_HELP = 'encoding of the text files (a TextDecoder label: windows-1251, koi8-r, ibm866, ...; default utf-8)';

/** A share in [0, 1). */
export function share(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n < 1)) throw new InvalidArgumentError('must be in [0, 1)');
  return n;
}

/**
 * Adds `--data-dir <dir>` (default `$ICDKG_DATA_DIR`, then `./data`) and the deprecated,
 * hidden alias `--data <dir>` that some commands used to take.
 *
 * @example dataDirOption(program.command('dp build'), 'data folder holding rumedtop3/train.jsonl')
 */
export function dataDirOption(cmd: Command, description: string): Command {
  return cmd
    .option('--data-dir <dir>', `${description} (default: $ICDKG_DATA_DIR, then ./data)`)
    .addOption(new Option('--data <dir>', 'deprecated alias of --data-dir').hideHelp());
}

/**
 * The data folder a command was given (`--data-dir`, its alias `--data`, `$ICDKG_DATA_DIR`,
 * `./data`), resolved; throws a sentence naming it when it is not a folder.
 *
 * @example const dir = dataDirOf(flags) // '/work/shared/data'
 */
export function dataDirOf(flags: { dataDir?: string; data?: string }): string {
  const given = flags.dataDir ?? flags.data;
  const dir = path.resolve(given ?? process.env.ICDKG_DATA_DIR ?? './data');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    const from = given !== undefined ? '--data-dir' : process.env.ICDKG_DATA_DIR !== undefined ? 'ICDKG_DATA_DIR' : 'the default ./data';
    throw new Error(`the data folder ${dir} (from ${from}) does not exist: pass --data-dir or set ICDKG_DATA_DIR to a folder laid out like ../shared/data (or run \`icdkg data fetch\`)`);
  }
  return dir;
}

/**
 * The configuration of a command that opens the store, with its flags applied: `--data-dir`
 * (or its alias `--data`) replaces ICDKG_DATA_DIR, and a folder named that way must hold data
 * (no silent fallback to the sample: `config.sample` becomes `error`); `--sample` asks for the
 * sample whatever the folder holds. The one place seed, serve, export, mcp, layer and cohort
 * take their configuration from.
 *
 * @example const store = await createStore(configFor(flags)); // throws for --data-dir /typo
 */
export function configFor(flags: { dataDir?: string; data?: string; sample?: boolean }): Config {
  const config = loadConfig();
  const given = flags.dataDir ?? flags.data;
  if (given !== undefined) {
    config.dataDir = path.resolve(given);
    if (config.sample === 'fallback') config.sample = 'error';
  }
  if (flags.sample) config.sample = 'force';
  return config;
}

/**
 * A file argument where `-` means standard input or output (`/dev/stdin`, `/dev/stdout`).
 *
 * @example streamPath('-', 'out') === '/dev/stdout'
 */
export function streamPath(file: string, direction: 'in' | 'out'): string {
  return file === '-' ? (direction === 'in' ? '/dev/stdin' : '/dev/stdout') : file;
}

/**
 * Prints a command's result on stdout: one JSON object (`--json`) or the text for people.
 *
 * @example printResult(flags.json, { documents: 3 }, 'imported 3 documents\n')
 */
export function printResult(json: boolean | undefined, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : text);
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'it is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'it already exists',
};

/**
 * An error as one sentence for the terminal: a file-system error names the file and what is
 * wrong with it (never a raw `ENOENT: ...` with a stack).
 *
 * @example errorSentence(Object.assign(new Error('x'), { code: 'ENOENT', path: 'a.txt', syscall: 'open' })) // 'cannot open a.txt: no such file or directory'
 */
export function errorSentence(err: unknown): string {
  const e = err as NodeJS.ErrnoException | null;
  if (e && typeof e.code === 'string' && typeof e.path === 'string' && FILE_ERRORS[e.code]) {
    const verb = e.syscall === 'mkdir' ? 'create folder' : e.syscall === 'scandir' ? 'read folder' : e.syscall === 'open' || e.syscall === 'read' ? 'open' : 'use';
    return `cannot ${verb} ${e.path}: ${FILE_ERRORS[e.code]}`;
  }
  return err instanceof Error ? err.message : String(err);
}
