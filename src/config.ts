import path from 'node:path';

/** Where compute runs for ONNX models. */
export type DeviceChoice = 'auto' | 'cuda' | 'cpu';

/**
 * The one typed configuration (DESIGN §7), read from the environment; CLI flags override it.
 * Every tunable number lives here, with why it has its default.
 */
export interface Config {
  /** HTTP port of the GraphQL server. */
  port: number;
  /** Host to bind; loopback by default so a dev server is not exposed by accident. */
  host: string;
  /** Folder with the ICD dictionary, corpora and cohorts (`../shared/data` layout). */
  dataDir: string;
  /**
   * What happens when `dataDir` holds no ICD dictionary. `fallback` (ICDKG_DATA_DIR unset: the
   * default `./data`) serves the small sample of graph/seed/; `error` (a data folder was
   * configured, by ICDKG_DATA_DIR or `--data-dir`) refuses to start, naming the folder and what is
   * missing; `force` (ICDKG_SAMPLE=1 or `--sample`) serves the sample whatever the folder holds.
   */
  sample: 'fallback' | 'error' | 'force';
  /** Folder with model directories (`models/<name>/manifest.json`). */
  modelsDir: string;
  /** Journal folder of the embedded store (writes after start are appended here). */
  journalDir: string;
  /**
   * How often a running server (`serve`, `mcp`) applies what other processes appended to the
   * journal (ICDKG_JOURNAL_FOLLOW_MS, ms; 0 turns following off). 250 ms keeps a CLI import
   * visible within 2 s with room for a busy machine; a tick with nothing new is one `stat`.
   */
  journalFollowMs: number;
  /** ONNX execution provider choice. */
  device: DeviceChoice;
  /**
   * The coder the server loads (ICDKG_CODER): `lexical` (default) or `onnx:<coder model dir>` (a
   * folder whose manifest combines a token-classification and a sentence-embedding model).
   */
  coder: string;
  /**
   * Lexical coder model folder (ICDKG_CODER_MODEL; `<modelsDir>/ruccod-lexical` by default). When it
   * holds no model, the server trains one in the background from the data at start.
   */
  coderModel: string | null;
  /** Neo4j connection; the embedded store is used when `uri` is null. */
  neo4j: {
    uri: string | null;
    username: string;
    password: string;
    database: string | undefined;
    /** Driver pool size: enough for one API server's concurrent resolvers. */
    maxConnectionPoolSize: number;
    /** How long to wait for a connection before SERVICE_UNAVAILABLE (ms). */
    connectionTimeoutMs: number;
    /** Per-transaction timeout (ms). */
    transactionTimeoutMs: number;
  };
  limits: {
    /** Maximum selection depth of a GraphQL query. */
    maxDepth: number;
    /** Cap on every `first` argument. */
    maxFirst: number;
    /** Maximum HTTP request body (bytes). */
    maxBodyBytes: number;
    /** Maximum length of one text to code (characters). */
    maxTextLength: number;
    /** Maximum number of texts in one coding batch. */
    maxBatchSize: number;
    /**
     * Maximum estimated cost of one operation (ICDKG_MAX_COST), computed before execution: 1 per
     * field, a list field multiplied by its size bound (`first`, the number of keys, the largest
     * subtree `descendants(maxDepth)` can reach in the loaded tree, ...). 300,000 lets one
     * `chapters { descendants(maxDepth: 10) { code title } }` through (the whole tree: cost
     * 246,268 on the full data) and refuses two of them in one request.
     */
    maxCost: number;
    /** Maximum number of aliases in one operation, fragments expanded (ICDKG_MAX_ALIASES). */
    maxAliases: number;
    /** Maximum number of directives in one operation, fragments expanded (ICDKG_MAX_DIRECTIVES). */
    maxDirectives: number;
    /** Maximum number of lexical tokens in one document; parsing stops there (ICDKG_MAX_TOKENS). */
    maxTokens: number;
    /** Maximum size of one JSON response (bytes); larger ones are RESPONSE_TOO_LARGE (ICDKG_MAX_RESPONSE_BYTES). */
    maxResponseBytes: number;
    /**
     * Largest export served by `GET /export/<format>`, estimated in items before it starts (codes,
     * names where the format writes them, a corpus's documents and mentions; ICDKG_EXPORT_MAX_ITEMS).
     * 250,000 serves every export of the full data (52,064 items at most: neo4j-csv with RuCCoD)
     * with room for UMLS names; larger ones are 413 EXPORT_TOO_LARGE (`icdkg export` has no limit).
     */
    maxExportItems: number;
    /** Bytes after which an HTTP export is cut off (ICDKG_EXPORT_MAX_BYTES; the full SKOS export is about 7 MB). */
    maxExportBytes: number;
    /** HTTP exports at once (ICDKG_EXPORT_CONCURRENCY); each walks the whole tree. More get 503. */
    maxConcurrentExports: number;
  };
  /**
   * Origins allowed to read answers cross-origin (ICDKG_CORS_ORIGINS, comma-separated, `*` for any).
   * Empty by default: no CORS headers, so a web page cannot read a server on a clinician's machine.
   */
  corsOrigins: string[];
  /** Serve the MCP server over Streamable HTTP at `/mcp` (ICDKG_MCP_HTTP=1); off by default. */
  mcpHttp: boolean;
  production: boolean;
  /**
   * ICDKG_WRITE_TOKEN: when set, the API accepts mutations from requests that carry it as
   * `Authorization: Bearer <token>`; when unset (the default), the API is read-only.
   */
  writeToken: string | null;
}

function int(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
  return n;
}

/** Reads the configuration from an environment (default `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const device = (env.ICDKG_DEVICE ?? 'auto') as DeviceChoice;
  if (!['auto', 'cuda', 'cpu'].includes(device)) {
    throw new Error(`ICDKG_DEVICE must be auto, cuda or cpu, got ${JSON.stringify(env.ICDKG_DEVICE)}`);
  }
  const dataDir = path.resolve(env.ICDKG_DATA_DIR ?? './data');
  return {
    port: int(env.PORT, 4000, 'PORT'),
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    sample: env.ICDKG_SAMPLE === '1' || env.ICDKG_SAMPLE === 'true' ? 'force' : env.ICDKG_DATA_DIR ? 'error' : 'fallback',
    modelsDir: path.resolve(env.ICDKG_MODELS_DIR ?? './models'),
    journalDir: path.resolve(env.ICDKG_JOURNAL_DIR ?? './.icdkg'),
    journalFollowMs: int(env.ICDKG_JOURNAL_FOLLOW_MS, 250, 'ICDKG_JOURNAL_FOLLOW_MS'),
    device,
    coder: env.ICDKG_CODER || 'lexical',
    coderModel: env.ICDKG_CODER_MODEL ? path.resolve(env.ICDKG_CODER_MODEL) : null,
    neo4j: {
      uri: env.NEO4J_URI || null,
      username: env.NEO4J_USERNAME ?? 'neo4j',
      password: env.NEO4J_PASSWORD ?? '',
      database: env.NEO4J_DATABASE || undefined,
      maxConnectionPoolSize: int(env.NEO4J_MAX_POOL_SIZE, 50, 'NEO4J_MAX_POOL_SIZE'),
      connectionTimeoutMs: int(env.NEO4J_CONNECTION_TIMEOUT_MS, 5_000, 'NEO4J_CONNECTION_TIMEOUT_MS'),
      transactionTimeoutMs: int(env.NEO4J_TRANSACTION_TIMEOUT_MS, 15_000, 'NEO4J_TRANSACTION_TIMEOUT_MS'),
    },
    limits: {
      maxDepth: int(env.ICDKG_MAX_DEPTH, 12, 'ICDKG_MAX_DEPTH'),
      maxFirst: int(env.ICDKG_MAX_FIRST, 1000, 'ICDKG_MAX_FIRST'),
      maxBodyBytes: int(env.ICDKG_MAX_BODY_BYTES, 1_048_576, 'ICDKG_MAX_BODY_BYTES'),
      maxTextLength: int(env.ICDKG_MAX_TEXT_LENGTH, 20_000, 'ICDKG_MAX_TEXT_LENGTH'),
      maxBatchSize: int(env.ICDKG_MAX_BATCH_SIZE, 256, 'ICDKG_MAX_BATCH_SIZE'),
      maxCost: int(env.ICDKG_MAX_COST, 300_000, 'ICDKG_MAX_COST'),
      maxAliases: int(env.ICDKG_MAX_ALIASES, 100, 'ICDKG_MAX_ALIASES'),
      maxDirectives: int(env.ICDKG_MAX_DIRECTIVES, 50, 'ICDKG_MAX_DIRECTIVES'),
      maxTokens: int(env.ICDKG_MAX_TOKENS, 5_000, 'ICDKG_MAX_TOKENS'),
      maxResponseBytes: int(env.ICDKG_MAX_RESPONSE_BYTES, 32 * 1_048_576, 'ICDKG_MAX_RESPONSE_BYTES'),
      maxExportItems: int(env.ICDKG_EXPORT_MAX_ITEMS, 250_000, 'ICDKG_EXPORT_MAX_ITEMS'),
      maxExportBytes: int(env.ICDKG_EXPORT_MAX_BYTES, 64 * 1_048_576, 'ICDKG_EXPORT_MAX_BYTES'),
      maxConcurrentExports: int(env.ICDKG_EXPORT_CONCURRENCY, 2, 'ICDKG_EXPORT_CONCURRENCY'),
    },
    corsOrigins: (env.ICDKG_CORS_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter((o) => o !== ''),
    mcpHttp: ['1', 'true'].includes((env.ICDKG_MCP_HTTP ?? '').toLowerCase()),
    production: env.NODE_ENV === 'production',
    writeToken: env.ICDKG_WRITE_TOKEN || null,
  };
}
