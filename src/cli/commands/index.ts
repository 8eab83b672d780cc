import type { Command } from 'commander';

/** Registers one sub-command on the program. */
export type RegisterCommand = (program: Command) => void;

/** Every sub-command of `icdkg`, in the order `--help` lists them. Add one line per command. */
export const commands: RegisterCommand[] = [];
