import type { ImportProgress } from '../GraphStore.js';

/**
 * An import into Neo4j that stopped part-way. Says which stage failed and, per stage, how many
 * rows were and were not written; the import is idempotent, so running it again completes it.
 * `cause` is the mapped error (e.g. SERVICE_UNAVAILABLE when the database went away).
 */
export class ImportIncompleteError extends Error {
  readonly stage: string;
  readonly stages: ImportProgress[];

  constructor(stage: string, stages: ImportProgress[], cause: Error) {
    const loaded = stages.filter((s) => s.done > 0).map((s) => `${s.stage} ${s.done}/${s.total}`);
    const missing = stages.filter((s) => s.done < s.total).map((s) => `${s.stage} ${s.total - s.done}`);
    super(
      `import stopped at stage "${stage}" (${cause.message}); loaded: ${loaded.join(', ') || 'nothing'}; ` +
        `not loaded: ${missing.join(', ') || 'nothing'}; run the import again to complete it (it is idempotent)`,
      { cause },
    );
    this.name = 'ImportIncompleteError';
    this.stage = stage;
    this.stages = stages;
  }
}
