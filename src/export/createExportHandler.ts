import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GraphQLError } from 'graphql';
import { ZipFile } from 'yazl';
import type { GraphStore } from '../graph/GraphStore.js';
import type { Logger } from '../logger.js';
import type { ExportFile } from './exportFile.js';
import { EXPORT_FORMATS, planExport } from './runExport.js';
import type { ExportFormat, ExportRequest } from './runExport.js';
import { writeChunks } from './sink.js';

export interface ExportHandlerOptions {
  store: GraphStore;
  logger: Logger;
  /** Where the handler is mounted (`/export`). */
  prefix?: string;
  /**
   * Largest estimated size (items: codes, names where the format writes them, a corpus's
   * documents and mentions) served over HTTP; larger exports are refused with 413 before any byte.
   */
  maxItems: number;
  /** Bytes after which a running export is cut off (a backstop for what the estimate cannot bound). */
  maxBytes: number;
  /** Exports served at once; more are refused with 503 and `retry-after`. */
  maxConcurrent: number;
}

/** A request handler for paths under the prefix; the HTTP server calls it with the request id. */
export type ExportHandler = (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>;

/** The media type of each single-file format (several files come as `application/zip`). */
const CONTENT_TYPES: Record<ExportFormat, string> = {
  skos: 'text/turtle; charset=utf-8',
  graphml: 'application/graphml+xml; charset=utf-8',
  sssom: 'text/tab-separated-values; charset=utf-8',
  pykeen: 'text/tab-separated-values; charset=utf-8',
  'neo4j-csv': 'application/zip',
};
const ZIP = 'application/zip';

/** The query parameters an export takes. */
const PARAMETERS = new Set(['corpus', 'layer', 'fromLayer', 'seed', 'split']);
/** Formats whose export writes every name (their size grows with the names, not only the codes). */
const WITH_NAMES = new Set<ExportFormat>(['skos', 'neo4j-csv']);

/** A refusal with its HTTP status and typed error (`extensions.code`, `argumentName`); never the value sent. */
class ExportError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

function sendError(res: ServerResponse, requestId: string, status: number, code: string, message: string, extensions: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const text = JSON.stringify({ errors: [{ message, extensions: { ...extensions, code, requestId } }] });
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** The request's parameters, checked: known names only, each once, `seed` and `split` typed. */
function readRequest(format: ExportFormat, search: string): ExportRequest {
  const params = new URLSearchParams(search);
  const seen = new Set<string>();
  for (const name of params.keys()) {
    // The unknown name is the client's text: not echoed, not even as argumentName.
    if (!PARAMETERS.has(name)) throw new ExportError(400, 'BAD_USER_INPUT', `Unknown parameter; an export takes ${[...PARAMETERS].join(', ')}`);
    if (seen.has(name)) throw new ExportError(400, 'BAD_USER_INPUT', 'A parameter was given more than once', { argumentName: name });
    seen.add(name);
  }
  const request: ExportRequest = { format, corpus: params.get('corpus'), layer: params.get('layer'), fromLayer: params.get('fromLayer') };
  const seed = params.get('seed');
  if (seed !== null) {
    if (format !== 'pykeen') throw new ExportError(400, 'BAD_USER_INPUT', 'seed applies to pykeen only', { argumentName: 'seed' });
    if (!/^\d{1,9}$/.test(seed)) throw new ExportError(400, 'BAD_USER_INPUT', 'seed must be a non-negative integer below 10^9', { argumentName: 'seed' });
    request.seed = Number(seed);
  }
  const split = params.get('split');
  if (split !== null) {
    if (format !== 'pykeen') throw new ExportError(400, 'BAD_USER_INPUT', 'split applies to pykeen only', { argumentName: 'split' });
    if (split !== 'true' && split !== 'false') throw new ExportError(400, 'BAD_USER_INPUT', 'split must be true or false', { argumentName: 'split' });
    request.split = split === 'true';
  }
  if ((request.corpus === null) !== (request.layer === null)) {
    throw new ExportError(400, 'BAD_USER_INPUT', 'Give corpus and layer together', { argumentName: request.corpus === null ? 'corpus' : 'layer' });
  }
  if (request.fromLayer !== null && request.corpus === null) throw new ExportError(400, 'BAD_USER_INPUT', 'fromLayer needs corpus and layer', { argumentName: 'fromLayer' });
  return request;
}

/** Checks the corpus and layers exist (messages list what exists, never echo what was sent); the estimated size in items. */
async function checkAndEstimate(store: GraphStore, request: ExportRequest): Promise<number> {
  const counts = await store.counts();
  let items = counts.codes;
  if (WITH_NAMES.has(request.format) || (request.format === 'sssom' && !request.corpus)) items += counts.names;
  if (request.corpus) {
    const corpora = await store.listCorpora();
    const info = corpora.find((c) => c.name === request.corpus);
    if (!info) throw new ExportError(404, 'NOT_FOUND', `No such corpus; the corpora: ${corpora.map((c) => c.name).join(', ') || 'none'}`, { argumentName: 'corpus' });
    if (!info.layers.includes(request.layer!)) throw new ExportError(404, 'NOT_FOUND', `No such layer in the corpus; its layers: ${info.layers.join(', ') || 'none'}`, { argumentName: 'layer' });
    const from = request.fromLayer ?? (request.format === 'sssom' ? 'original' : null);
    if (from !== null && !info.layers.includes(from)) throw new ExportError(404, 'NOT_FOUND', `No such source layer in the corpus; its layers: ${info.layers.join(', ')}`, { argumentName: 'fromLayer' });
    // A layer has at most as many mentions as the store: an upper bound, cheap to know.
    items += info.documentCount + counts.mentions;
  }
  return items;
}

/** A file's chunks with the first one read already (so that errors come before the answer's status). */
async function primed(file: ExportFile): Promise<AsyncIterable<string>> {
  const it = file.chunks[Symbol.asyncIterator]();
  const first = await it.next();
  return (async function* () {
    if (first.done) return;
    yield first.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  })();
}

/** Passes chunks on, counting bytes; throws once more than `max` went through. */
async function* capped(chunks: AsyncIterable<string>, max: number, total: { bytes: number }): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    total.bytes += Buffer.byteLength(chunk);
    if (total.bytes > max) throw new ExportError(413, 'EXPORT_TOO_LARGE', `The export exceeded ${max} bytes and was cut off`);
    yield chunk;
  }
}

/**
 * `GET /export/<format>?corpus=&layer=&fromLayer=&seed=&split=`: the exports of `icdkg export`
 * (docs/exports.md) over HTTP, streamed from the same `planExport` files the CLI writes, so the
 * bytes are the CLI's: one file as `text/turtle` (skos), `application/graphml+xml` (graphml),
 * `text/tab-separated-values` (sssom; pykeen with `split=false`), several (neo4j-csv; pykeen's
 * triples and splits) as one `application/zip` made by yazl with the CLI's file names. Only
 * exports small enough are served: an estimate from the store's counts above `maxItems` is a 413
 * `EXPORT_TOO_LARGE` before any byte (run `icdkg export` instead), and an answer passing
 * `maxBytes` is cut off. Errors are JSON `{ errors: [{ message, extensions: { code,
 * argumentName, requestId } }] }`: 404 `NOT_FOUND` for an unknown format, corpus or layer, 400
 * `BAD_USER_INPUT` for bad parameters, 405 for a method other than GET, 503 while `maxConcurrent`
 * exports run. No value a client sent, and no filesystem path, is in an answer.
 *
 * @example const exports = createExportHandler({ store, logger, maxItems: 250_000, maxBytes: 64 << 20, maxConcurrent: 2 });
 */
export function createExportHandler(options: ExportHandlerOptions): ExportHandler {
  const prefix = options.prefix ?? '/export';
  let running = 0;
  return async (req, res, requestId) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = (q === -1 ? url : url.slice(0, q)).slice(prefix.length).replace(/^\/+|\/+$/g, '');
    let started = false;
    let counted = false;
    const total = { bytes: 0 };
    try {
      if ((req.method ?? 'GET').toUpperCase() !== 'GET') throw new ExportError(405, 'METHOD_NOT_ALLOWED', 'Exports take GET');
      const format = EXPORT_FORMATS.find((f) => f === path);
      if (!format) throw new ExportError(404, 'NOT_FOUND', `No such export format; GET ${prefix}/<format> with one of ${EXPORT_FORMATS.join(', ')}`, { argumentName: 'format' });
      const request = readRequest(format, q === -1 ? '' : url.slice(q));
      const items = await checkAndEstimate(options.store, request);
      if (items > options.maxItems) {
        throw new ExportError(413, 'EXPORT_TOO_LARGE', `The export's estimated size, ${items} items, exceeds the limit of ${options.maxItems} for HTTP (ICDKG_EXPORT_MAX_ITEMS); run icdkg export instead`, { estimatedItems: items, maxItems: options.maxItems });
      }
      if (running >= options.maxConcurrent) throw new ExportError(503, 'SERVICE_UNAVAILABLE', `${options.maxConcurrent} exports are running; try again shortly`);
      running++;
      counted = true;
      const plan = planExport(options.store, request);
      const first = await plan.files.next();
      if (first.done) throw new Error('an export produced no file');
      const firstChunks = await primed(first.value);
      const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
      if (plan.single) {
        res.writeHead(200, { ...headers, 'content-type': CONTENT_TYPES[format], 'content-disposition': `attachment; filename="${first.value.name}"` });
        started = true;
        await writeChunks(capped(firstChunks, options.maxBytes, total), res);
        res.end();
      } else {
        res.writeHead(200, { ...headers, 'content-type': ZIP, 'content-disposition': `attachment; filename="icd10-${format}.zip"` });
        started = true;
        const zip = new ZipFile();
        let entry: PassThrough | undefined;
        const sent = pipeline(zip.outputStream, res);
        // The client went away: the entry being written is read no more, so end its writer too.
        sent.catch(() => entry?.destroy());
        let file: ExportFile | undefined = first.value;
        let chunks: AsyncIterable<string> = firstChunks;
        while (file) {
          entry = new PassThrough();
          zip.addReadStream(entry, file.name);
          await writeChunks(capped(chunks, options.maxBytes, total), entry);
          entry.end();
          const next = await plan.files.next();
          file = next.done ? undefined : next.value;
          if (file) chunks = file.chunks;
        }
        zip.end();
        await sent;
      }
      options.logger.info({ requestId, format, bytes: total.bytes }, 'export sent');
    } catch (err) {
      if (started) {
        // The status went out already: cutting the connection is how the client learns it failed.
        options.logger.warn({ requestId, bytes: total.bytes, code: err instanceof ExportError ? err.code : 'INTERNAL' }, 'export cut off');
        res.destroy();
      } else if (err instanceof ExportError) {
        sendError(res, requestId, err.status, err.code, err.message, err.extensions, err.status === 405 ? { allow: 'GET' } : err.status === 503 ? { 'retry-after': '1' } : {});
      } else if (err instanceof GraphQLError && (err.extensions.code === 'BAD_USER_INPUT' || err.extensions.code === 'NOT_FOUND')) {
        // The writers' own refusals (sssom with no UMLS names loaded): typed, written by this project.
        sendError(res, requestId, err.extensions.code === 'NOT_FOUND' ? 404 : 400, String(err.extensions.code), err.message, typeof err.extensions.argumentName === 'string' ? { argumentName: err.extensions.argumentName } : {});
      } else {
        options.logger.error({ requestId, err }, 'export failed');
        sendError(res, requestId, 500, 'INTERNAL_SERVER_ERROR', 'The export failed', {});
      }
    } finally {
      if (counted) running--;
    }
  };
}
