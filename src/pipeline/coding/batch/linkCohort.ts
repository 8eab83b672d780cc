import { createWriteStream, existsSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { GraphStore } from '../../../graph/GraphStore.js';
import { NotFoundError } from '../../../errors.js';
import { COHORT_LAYERS } from '../../../ingest/cohort/cohortFormat.js';
import { cohortLines } from '../../../ingest/cohort/cohortLines.js';
import { linkedPathOf, readLinked } from '../../../ingest/cohort/linkedFile.js';
import type { LinkHeader } from '../../../ingest/cohort/linkedFile.js';
import { startCoderPool } from './coderPool.js';
import { parseAppointment } from '../../../ingest/cohort/parseAppointment.js';

/** Progress of {@link linkCohort}. */
export interface LinkProgress {
  done: number;
  total: number;
  appointments: number;
}

/** Arguments of {@link linkCohort}. */
export interface LinkCohortOptions {
  /** A cohort JSONL file, or the name of a cohort corpus in the store. */
  cohort: string;
  /** Coder model directory. */
  modelDir: string;
  /** Linked JSONL to write (default `COHORT.linked.jsonl`; for a store cohort, a checkpoint file). */
  out?: string;
  workers?: number;
  /** Discard an existing output instead of resuming. */
  restart?: boolean;
  /**
   * Called as linking advances: `done` of `total` units (bytes of a cohort file, or appointments of
   * a store cohort; `total` 0 while unknown) and the appointments linked or skipped so far. The
   * caller draws it (the CLI: a bar on a TTY, periodic lines otherwise).
   */
  onProgress?: (progress: LinkProgress) => void;
  /** Opens the store, for a cohort given by corpus name. */
  openStore?: () => Promise<GraphStore>;
  /** Texts per worker message. */
  batchSize?: number;
}

/** What {@link linkCohort} did. */
export interface LinkReport {
  /** Appointments coded in this run (cache hits included). */
  linked: number;
  /** Appointments found already linked in the output (resume). */
  skipped: number;
  /** Appointments whose conclusion was identical to one coded before (coded once). */
  cacheHits: number;
  workers: number;
  seconds: number;
  /** The linked file written (file cohorts), or null when the layer went to the store. */
  out: string | null;
}

/** Texts per worker message: large enough that messaging costs little, small enough to balance. */
const DEFAULT_BATCH = 128;
/** Batches in flight per worker: keeps every worker busy while the main thread reads ahead. */
const IN_FLIGHT_PER_WORKER = 4;
/**
 * Distinct conclusions remembered with their codes. Real EHRs repeat conclusions (copy-forward)
 * and coding is deterministic, so an identical text is coded once; the bound keeps memory flat.
 */
const CACHE_SIZE = 300_000;
/** Store writes per `putLayer` call for a cohort in the store. */
const STORE_CHUNK = 1_000;

function modelFingerprint(modelDir: string): string {
  const manifest = JSON.parse(readFileSync(join(modelDir, 'manifest.json'), 'utf8')) as { files?: { sha256?: string }[]; created?: string };
  return manifest.files?.[0]?.sha256 ?? manifest.created ?? 'unknown';
}

/**
 * `icdkg cohort link`: codes every appointment's conclusion with the coder (worker threads) and
 * records layer `linked`. A cohort file gets a linked JSONL beside it (`{"appointmentId","codes"}`
 * lines after a `linkHeader`), written as results arrive; a cohort corpus in the store gets
 * `putLayer(corpus, "linked", ...)` per chunk, with the same JSONL as its checkpoint. Resumable:
 * appointments already in the output are skipped, a torn last line is dropped, and an output made
 * by another coder is refused (pass `restart`).
 *
 * @example await linkCohort({ cohort: 'demo.jsonl', modelDir: 'models/ruccod-lexical' })
 */
export async function linkCohort(options: LinkCohortOptions): Promise<LinkReport> {
  const started = performance.now();
  const isFile = existsSync(options.cohort) && statSync(options.cohort).isFile();
  let store: GraphStore | null = null;
  if (!isFile) {
    if (!options.openStore) throw new NotFoundError(`No cohort file ${JSON.stringify(options.cohort)}`);
    store = await options.openStore();
  }
  try {
    const out = options.out ?? (isFile ? linkedPathOf(options.cohort) : join('.icdkg', `link-${options.cohort.replace(/[^\w.-]/g, '_')}.checkpoint.jsonl`));
    const header: LinkHeader = { format: 'icdkg-linked', version: 1, model: modelFingerprint(options.modelDir), cohort: options.cohort };
    if (options.restart && existsSync(out)) unlinkSync(out);
    let done = new Map<string, string[]>();
    if (existsSync(out)) {
      const previous = await readLinked(out, { repair: true });
      if (previous.header && previous.header.model !== header.model) {
        throw new Error(`${out} was linked with another coder model; pass --restart to link again from scratch`);
      }
      done = previous.codes;
    }
    const fresh = !existsSync(out) || statSync(out).size === 0;
    const writer = createWriteStream(out, { flags: 'a', highWaterMark: 1 << 20 });
    if (fresh) writer.write(`${JSON.stringify({ linkHeader: header })}\n`);

    const workers = Math.max(1, options.workers ?? availableParallelism());
    const pool = await startCoderPool(options.modelDir, workers);
    const batchSize = options.batchSize ?? DEFAULT_BATCH;
    const cache = new Map<string, string[]>();
    let linked = 0;
    let skipped = 0;
    let cacheHits = 0;
    const storeBuffer: { documentId: string; codes: string[] }[] = [];
    const storeWrites: Promise<void>[] = [];
    let failure: Error | null = null;

    const record = (id: string, codes: string[]): void => {
      linked++;
      if (!writer.write(`${JSON.stringify({ appointmentId: id, codes })}\n`)) needDrain = true;
      if (store) {
        storeBuffer.push({ documentId: id, codes });
        if (storeBuffer.length >= STORE_CHUNK) flushStore();
      }
    };
    const flushStore = (): void => {
      if (!store || storeBuffer.length === 0) return;
      const chunk = storeBuffer.splice(0);
      storeWrites.push(store.putLayer(options.cohort, COHORT_LAYERS.linked, chunk.map((c) => ({ documentId: c.documentId, layer: COHORT_LAYERS.linked, mentions: [], codes: c.codes }))));
    };
    let needDrain = false;
    let batch: { id: string; text: string }[] = [];
    const dispatch = (): void => {
      const items = batch;
      batch = [];
      pool.code(items.map((i) => i.text), { topK: 1, codesOnly: true }).then(
        (results) => {
          const codes = results.map((r) => r.codes);
          items.forEach((item, k) => {
            if (cache.size >= CACHE_SIZE) cache.clear();
            cache.set(item.text, codes[k]!);
            record(item.id, codes[k]!);
          });
        },
        (err: Error) => {
          failure = err;
        },
      );
    };
    const submit = async (id: string, text: string): Promise<void> => {
      if (done.has(id)) {
        skipped++;
        if (store) {
          storeBuffer.push({ documentId: id, codes: done.get(id)! });
          if (storeBuffer.length >= STORE_CHUNK) flushStore();
        }
        return;
      }
      const hit = cache.get(text);
      if (hit) {
        cacheHits++;
        record(id, hit);
      } else {
        batch.push({ id, text });
        if (batch.length >= batchSize) dispatch();
      }
      while (pool.inFlight() >= workers * IN_FLIGHT_PER_WORKER && !failure) await new Promise((r) => setImmediate(r));
      if (needDrain) {
        needDrain = false;
        await once(writer, 'drain');
      }
      if (failure) throw failure;
    };

    let total = isFile ? statSync(options.cohort).size : 0;
    const report = options.onProgress;
    try {
      if (isFile) {
        for await (const { text, line, bytesRead } of cohortLines(options.cohort)) {
          if (text.trim() === '') continue;
          const parsed = parseAppointment(text, options.cohort, line);
          if ('record' in parsed) await submit(parsed.record.appointmentId, parsed.record.conclusion);
          report?.({ done: bytesRead, total, appointments: linked + skipped });
        }
      } else {
        const ids = await store!.listDocumentIds(options.cohort, null);
        if (ids.length === 0) throw new NotFoundError(`No cohort corpus ${JSON.stringify(options.cohort)} in the store (or it is empty)`);
        total = ids.length;
        for (let i = 0; i < ids.length; i += STORE_CHUNK) {
          const docs = await store!.getDocuments(options.cohort, ids.slice(i, i + STORE_CHUNK));
          for (const d of docs) if (d) await submit(d.id, d.text);
          report?.({ done: i + docs.length, total, appointments: linked + skipped });
        }
      }
      if (batch.length > 0) dispatch();
      while (pool.inFlight() > 0 && !failure) await new Promise((r) => setTimeout(r, 5));
      if (failure) throw failure;
      flushStore();
      await Promise.all(storeWrites);
    } finally {
      await pool.close();
      writer.end();
      await once(writer, 'close');
    }
    return { linked, skipped, cacheHits, workers, seconds: (performance.now() - started) / 1000, out: store ? null : out };
  } finally {
    await store?.close();
  }
}
