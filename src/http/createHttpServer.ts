import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, BaseContext } from '@apollo/server';
import type { Logger } from '../logger.js';
import { GRAPHIQL_PREFIX, graphiqlAsset } from './landingPage.js';

/** What `GET /health` reports. */
export interface HealthReport {
  /** False answers 503 (load balancers take the instance out). */
  available: boolean;
  [detail: string]: unknown;
}

export interface HttpServerOptions<TContext extends BaseContext> {
  /** A started Apollo server. */
  apollo: ApolloServer<TContext>;
  /** Builds a request's context (loaders, ...) from its request id and headers (`authorization`). */
  context: (requestId: string, headers: IncomingHttpHeaders) => Promise<TContext> | TContext;
  /** Requests with a larger body are refused with 413. */
  maxBodyBytes: number;
  health: () => Promise<HealthReport>;
  logger: Logger;
  /** Serve the GraphiQL assets under `/graphiql/` (development; off in production). */
  graphiql?: boolean;
}

/** GraphQL is served here (`/` too, as Apollo's standalone server does). */
const GRAPHQL_PATHS = new Set(['/graphql', '/']);
/** A client's `x-request-id` is echoed when it looks like an id (no log injection). */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;
const UTF8 = /^utf-?8$/i;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(message: string, code: string, requestId: string) {
  return { errors: [{ message, extensions: { code, requestId } }] };
}

/** Reads a body up to `limit` bytes; null when it is larger (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * The HTTP front of the API: a plain `node:http` server (no framework: less per-request work)
 * that hands GraphQL requests to Apollo's `executeHTTPGraphQLRequest`, as Apollo's standalone
 * server does, plus what the standalone server lacks: a body size limit (413), a request id per
 * request (`x-request-id`, echoed or generated), `GET /health` (503 when the store is down),
 * and permissive CORS (no cookies are used; Apollo's CSRF prevention stays on).
 *
 * @example const httpServer = createHttpServer({ apollo, context, maxBodyBytes: 1 << 20, health, logger });
 */
export function createHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): http.Server {
  const { apollo, maxBodyBytes, logger } = options;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.setHeader('access-control-allow-origin', '*');
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const method = (req.method ?? 'GET').toUpperCase();

    if (path === '/health' && (method === 'GET' || method === 'HEAD')) {
      const report = await options.health().catch((err: unknown): HealthReport => {
        logger.error({ requestId, err }, 'health check failed');
        return { available: false };
      });
      sendJson(res, report.available ? 200 : 503, { status: report.available ? 'ok' : 'unavailable', ...report });
      return;
    }
    if (options.graphiql && path.startsWith(GRAPHIQL_PREFIX) && (method === 'GET' || method === 'HEAD')) {
      const asset = graphiqlAsset(path.slice(GRAPHIQL_PREFIX.length));
      if (asset) {
        res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': 'public, max-age=3600' });
        res.end(method === 'HEAD' ? undefined : asset.body);
        return;
      }
    }
    if (!GRAPHQL_PATHS.has(path)) {
      sendJson(res, 404, { error: `Not found: ${path.slice(0, 100)}`, requestId });
      return;
    }
    if (method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
        'access-control-max-age': '86400',
      });
      res.end();
      return;
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }

    let body: unknown;
    if (method === 'POST') {
      const declared = Number(req.headers['content-length'] ?? 0);
      const text = declared > maxBodyBytes ? null : await readBody(req, maxBodyBytes);
      if (text === null) {
        // Answer at once and close: no need to read (or keep) the rest of an oversized body.
        sendJson(res, 413, errorBody(`Request body exceeds ${maxBodyBytes} bytes`, 'PAYLOAD_TOO_LARGE', requestId), { connection: 'close' });
        req.resume();
        return;
      }
      const [mime, ...params] = (req.headers['content-type'] ?? '').split(';');
      const type = mime!.trim().toLowerCase();
      if (type === 'application/json' || type.endsWith('+json')) {
        const charset = params.map((p) => p.trim().toLowerCase()).find((p) => p.startsWith('charset='))?.slice(8).replace(/"/g, '');
        if (charset !== undefined && !UTF8.test(charset)) {
          sendJson(res, 415, errorBody(`Unsupported charset ${JSON.stringify(charset.slice(0, 40))}: use utf-8`, 'BAD_REQUEST', requestId));
          return;
        }
        try {
          body = text === '' ? undefined : JSON.parse(text);
        } catch {
          sendJson(res, 400, errorBody('The request body is not valid JSON', 'BAD_REQUEST', requestId));
          return;
        }
      }
      // Any other content type reaches Apollo without a body: its CSRF prevention or its
      // "POST body missing" check refuses it with 400.
    }

    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search: q === -1 ? '' : url.slice(q), body },
      context: async () => options.context(requestId, req.headers),
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  return http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const requestId = String(res.getHeader('x-request-id') ?? '');
      logger.error({ requestId, err }, 'http handler failed');
      if (!res.headersSent) sendJson(res, 500, errorBody(`Internal error (request id ${requestId})`, 'INTERNAL_SERVER_ERROR', requestId));
      else res.destroy();
    });
  });
}
