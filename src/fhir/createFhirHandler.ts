import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphStore } from '../graph/GraphStore.js';
import type { Logger } from '../logger.js';
import { capabilities } from './capabilities.js';
import { ExpansionCache } from './ExpansionCache.js';
import { expand } from './expand.js';
import { FhirError, operationOutcomeOf } from './FhirError.js';
import { lookup } from './lookup.js';
import { OperationInput } from './parameters.js';
import type { FhirResource, Parameters } from './resources.js';
import { subsumes } from './subsumes.js';
import { translate } from './translate.js';
import { validateCode } from './validateCode.js';
import { validateCodeInValueSet } from './validateCodeInValueSet.js';

export interface FhirHandlerOptions {
  store: GraphStore;
  /** POST bodies larger than this are refused with 413. */
  maxBodyBytes: number;
  logger: Logger;
  /** Where the handler is mounted (`/fhir`). */
  prefix?: string;
  /** Bytes of serialised unfiltered expansions kept (default 64 MiB; 0 turns the cache off). */
  expansionCacheBytes?: number;
}

/** A request handler for paths under the prefix; the HTTP server calls it with the request id. */
export type FhirHandler = (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void>;

type Operation = (store: GraphStore, input: OperationInput) => Promise<FhirResource | Parameters>;

/** `<type>/$<operation>` -> implementation. */
const ROUTES: Record<string, Operation> = {
  'CodeSystem/$lookup': lookup,
  'CodeSystem/$validate-code': validateCode,
  'CodeSystem/$subsumes': subsumes,
  'ValueSet/$expand': expand,
  'ValueSet/$validate-code': validateCodeInValueSet,
  'ConceptMap/$translate': translate,
};

const FHIR_JSON = 'application/fhir+json; charset=utf-8';

function send(res: ServerResponse, status: number, resource: unknown, headers: Record<string, string> = {}): void {
  sendBody(res, status, Buffer.from(JSON.stringify(resource)), headers);
}

function sendBody(res: ServerResponse, status: number, body: Buffer, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': FHIR_JSON, 'content-length': body.length, ...headers });
  res.end(body);
}

/** Reads a body up to `limit` bytes; null when larger. */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The POST body as operation input: JSON (`application/fhir+json` or `application/json`) Parameters. */
async function postInput(req: IncomingMessage, maxBodyBytes: number): Promise<OperationInput> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') {
    const text = await readBody(req, maxBodyBytes);
    if (text === null) throw new FhirError(413, 'too-long', `Request body exceeds ${maxBodyBytes} bytes`);
    return OperationInput.fromQuery(text);
  }
  if (type !== 'application/fhir+json' && type !== 'application/json') {
    req.resume();
    throw new FhirError(415, 'not-supported', 'POST a Parameters resource as application/fhir+json (or application/json)');
  }
  if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
    req.resume();
    throw new FhirError(413, 'too-long', `Request body exceeds ${maxBodyBytes} bytes`);
  }
  const text = await readBody(req, maxBodyBytes);
  if (text === null) throw new FhirError(413, 'too-long', `Request body exceeds ${maxBodyBytes} bytes`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new FhirError(400, 'structure', 'The request body is not valid JSON');
  }
  return OperationInput.fromParameters(body);
}

/**
 * The FHIR R4 terminology endpoints (docs/fhir.md) as one handler for the HTTP server to mount
 * under `/fhir`: `metadata`, `CodeSystem/$lookup`, `$validate-code`, `$subsumes`,
 * `ValueSet/$expand`, `ValueSet/$validate-code`, `ConceptMap/$translate`, each by GET (query parameters) and POST (a
 * `Parameters` resource). Answers are `application/fhir+json`; errors are `OperationOutcome`s
 * (400 bad parameter, 404 unknown code / value set / path, 405, 413, 415, 422 a body that is not
 * a Parameters resource). Nothing of a request's parameters is logged.
 *
 * @example const fhir = createFhirHandler({ store, maxBodyBytes: 1 << 20, logger });
 */
export function createFhirHandler(options: FhirHandlerOptions): FhirHandler {
  const prefix = options.prefix ?? '/fhir';
  const expansions = new ExpansionCache(options.expansionCacheBytes ?? 64 << 20);
  return async (req, res, requestId) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = (q === -1 ? url : url.slice(0, q)).slice(prefix.length).replace(/^\/+|\/+$/g, '');
    const search = q === -1 ? '' : url.slice(q);
    const method = (req.method ?? 'GET').toUpperCase();
    try {
      if (method === 'OPTIONS') {
        res.writeHead(204, { 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': 'content-type', 'access-control-max-age': '86400' });
        res.end();
        return;
      }
      if (path === 'metadata') {
        if (method !== 'GET' && method !== 'HEAD') throw new FhirError(405, 'not-supported', 'metadata takes GET', null);
        const mode = new URLSearchParams(search).get('mode');
        if (mode !== null && mode !== 'full' && mode !== 'normative' && mode !== 'terminology') {
          throw new FhirError(400, 'invalid', 'Parameter mode must be full, normative or terminology', 'mode');
        }
        const host = req.headers.host ?? 'localhost';
        send(res, 200, await capabilities(options.store, mode, `http://${host}${prefix}`));
        return;
      }
      // `CodeSystem/$lookup`; the instance form `CodeSystem/<id>/$lookup` is not served (no stored CodeSystem resources).
      const operation = ROUTES[path.replace(/%24/gi, '$')];
      if (!operation) throw new FhirError(404, 'not-found', `No FHIR endpoint ${JSON.stringify(path.slice(0, 100))}: see ${prefix}/metadata`);
      let input: OperationInput;
      if (method === 'GET') input = OperationInput.fromQuery(search);
      else if (method === 'POST') input = await postInput(req, options.maxBodyBytes);
      else throw new FhirError(405, 'not-supported', `${path} takes GET or POST`);
      if (operation === expand && !input.string('filter')) {
        // Unfiltered expansions depend on the tree alone: keyed by data version and parameters.
        const key = `${(await options.store.info()).dataVersion ?? ''}\u0000${input.key()}`;
        let body = expansions.get(key);
        if (!body) expansions.set(key, (body = Buffer.from(JSON.stringify(await expand(options.store, input)))));
        // A whole chapter is a megabyte of JSON: sent gzipped to clients that accept it (zipped once, kept).
        if (body.length > 1024 && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) sendBody(res, 200, expansions.gzip(body), { 'content-encoding': 'gzip', vary: 'accept-encoding' });
        else sendBody(res, 200, body);
        return;
      }
      send(res, 200, await operation(options.store, input));
    } catch (err) {
      const { status, body, internal } = operationOutcomeOf(err, requestId);
      if (internal) options.logger.error({ requestId, err }, 'fhir handler failed');
      send(res, status, body, status === 405 ? { allow: path === 'metadata' ? 'GET' : 'GET, POST' } : {});
    }
  };
}
