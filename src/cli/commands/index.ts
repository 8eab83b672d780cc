import type { Command } from 'commander';
import { register as code } from './code.js';
import { register as cohort } from './cohort.js';
import { register as coder } from './coder.js';
import { register as data } from './data.js';
import { register as dp } from './dp.js';
import { register as evaluate } from './evaluate.js';
import { register as corpus } from './corpus.js';
import { register as journal } from './journal.js';
import { register as exportCommand } from './export.js';
import { register as layer } from './layer.js';
import { register as mcp } from './mcp.js';
import { register as serve } from './serve.js';
import { register as seed } from './seed.js';

/** Registers one sub-command on the program. */
export type RegisterCommand = (program: Command) => void;

/** Every sub-command of `icdkg`, in the order `--help` lists them. Add one line per command. */
export const commands: RegisterCommand[] = [
  serve,
  seed,
  data,
  dp,
  coder,
  code,
  evaluate,
  layer,
  cohort,
  corpus,
  journal,
  exportCommand,
  mcp,
];
