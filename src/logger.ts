import { pino, destination } from 'pino';

/**
 * The one structured logger (JSON lines on stderr). Log ids, counts and hashes only: never
 * clinical text (document texts, mentions, queries' text arguments).
 */
export const logger = pino(
  { name: 'icdkg', level: process.env.ICDKG_LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info') },
  destination({ dest: 2, sync: false }),
);

export type Logger = typeof logger;
