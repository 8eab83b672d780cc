import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import type { ApolloServer, BaseContext } from '@apollo/server';
import type { Logger } from '../logger.js';
import { withRequestId } from './requestScope.js';
import { GRAPHIQL_PREFIX, graphiqlAsset } from './landingPage.js';
import { EXPLORER_PREFIX, explorerAsset } from './explorer.js';
import type { Asset } from './staticAssets.js';

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
  /**
   * Origins whose pages may read the answers (CORS); `*` allows any. Empty (the default): no
   * CORS headers at all, so browsers keep other sites' pages from reading a local server.
   */
  corsOrigins?: readonly string[];
  /**
   * Checks a query's text before Apollo parses and validates it (`documentPrecheck`): a refusal
   * is answered at once with 400, so that a long abusive document costs no validation.
   */
  precheck?: (query: string) => { message: string; extensions: Record<string, unknown> } | null;
  /** Serve the GraphiQL assets under `/graphiql/` (development; off in production). */
  graphiql?: boolean;
  /** Serve the explorer (web/, built into dist/web/) at `/` to browsers and its files under `/app/`. */
  explorer?: boolean;
  /** Handlers of other protocols by path prefix (`/fhir`, `/mcp`): each gets every request under it. */
  mounts?: { prefix: string; handle: (req: IncomingMessage, res: ServerResponse, requestId: string) => Promise<void> }[];
}

/** Request headers a cross-origin page may send (a preflight asking for others gets none). */
const CORS_ALLOWED_HEADERS = 'content-type, x-request-id, apollo-require-preflight, apollographql-client-name, apollographql-client-version';

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
 * request (`x-request-id`, echoed or generated, and the scope of `currentRequestId()`),
 * `GET /health` (503 when the store is down), CORS for an allow-list of origins only (off by
 * default; Apollo's CSRF prevention stays on), and a log line with the request id for every
 * answer with a 5xx status, wherever it was made.
 *
 * @example const httpServer = createHttpServer({ apollo, context, maxBodyBytes: 1 << 20, health, logger });
 */
export function createHttpServer<TContext extends BaseContext>(options: HttpServerOptions<TContext>): http.Server {
  const { apollo, maxBodyBytes, logger } = options;
  const corsAny = options.corsOrigins?.includes('*') ?? false;
  const corsOrigins = new Set(options.corsOrigins ?? []);

  /** Sets the CORS headers when the request's origin is allowed; true when it is. */
  function cors(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (origin === undefined || (!corsAny && !corsOrigins.has(origin))) return false;
    res.setHeader('access-control-allow-origin', corsAny ? '*' : origin);
    if (!corsAny) res.setHeader('vary', 'origin');
    return true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && CLIENT_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    const corsAllowed = cors(req, res);
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
    const mount = options.mounts?.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
    if (mount) {
      await mount.handle(req, res, requestId);
      return;
    }
    if (method === 'GET' || method === 'HEAD') {
      let asset: Asset | null = null;
      let cache = 'public, max-age=3600';
      if (options.graphiql && path.startsWith(GRAPHIQL_PREFIX)) asset = graphiqlAsset(path.slice(GRAPHIQL_PREFIX.length));
      else if (options.explorer && path.startsWith(EXPLORER_PREFIX)) asset = explorerAsset(path.slice(EXPLORER_PREFIX.length));
      else if (options.explorer && path === '/' && q === -1 && (req.headers.accept ?? '').includes('text/html')) {
        // A browser opening the server gets the explorer; GraphQL clients (and GraphiQL at /graphql) are unaffected.
        asset = explorerAsset('index.html');
        cache = 'no-cache';
      }
      if (asset) {
        res.writeHead(200, { 'content-type': asset.type, 'content-length': asset.body.length, 'cache-control': cache });
        res.end(method === 'HEAD' ? undefined : asset.body);
        return;
      }
    }
    if (!GRAPHQL_PATHS.has(path)) {
      // The path is not echoed: nothing a client sent comes back in an error.
      sendJson(res, 404, { error: 'Not found: GraphQL is served at /graphql, health at /health', requestId });
      return;
    }
    if (method === 'OPTIONS') {
      // A preflight from an origin that is not allowed gets no CORS headers: the browser refuses.
      res.writeHead(
        204,
        corsAllowed
          ? { 'access-control-allow-methods': 'GET, POST, OPTIONS', 'access-control-allow-headers': CORS_ALLOWED_HEADERS, 'access-control-max-age': '86400' }
          : {},
      );
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
          sendJson(res, 415, errorBody(`Unsupported charset (${charset.length} characters): use utf-8`, 'BAD_REQUEST', requestId));
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

    if (options.precheck) {
      const query = method === 'GET' ? new URLSearchParams(q === -1 ? '' : url.slice(q + 1)).get('query') : (body as { query?: unknown } | undefined)?.query;
      const refusal = typeof query === 'string' ? options.precheck(query) : null;
      if (refusal) {
        sendJson(res, 400, { errors: [{ message: refusal.message, extensions: { ...refusal.extensions, requestId } }] });
        return;
      }
    }

    const response = await withRequestId(requestId, () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method, headers, search: q === -1 ? '' : url.slice(q), body },
        context: async () => options.context(requestId, req.headers),
      }),
    );
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    // Errors inside the request pipeline are logged with their cause by errorMaskingPlugin; this
    // line also covers those Apollo answers outside it (context creation, a failed serialisation).
    if (res.statusCode >= 500) logger.error({ requestId, status: res.statusCode }, 'answered with a server error');
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
