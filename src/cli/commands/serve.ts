import { InvalidArgumentError, type Command } from 'commander';
import { configFor } from '../options.js';
import { logger } from '../../logger.js';
import { startServer } from '../../server.js';

interface ServeFlags {
  port?: number;
  host?: string;
  dataDir?: string;
  sample?: boolean;
  mcpHttp?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('must be an integer from 0 to 65535');
  return n;
}

/**
 * `icdkg serve [--port N] [--host H] [--data-dir DIR]`: the GraphQL API on the configured store
 * (the embedded store on `ICDKG_DATA_DIR`, or Neo4j when `NEO4J_URI` is set) until SIGINT/SIGTERM.
 */
export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the GraphQL API (embedded store on ICDKG_DATA_DIR, or Neo4j when NEO4J_URI is set)')
    .option('-p, --port <n>', 'HTTP port (env PORT, default 4000; 0 picks a free one)', port)
    .option('--host <host>', 'address to bind (env HOST, default 127.0.0.1)')
    .option('-d, --data-dir <dir>', 'data folder (env ICDKG_DATA_DIR, default ./data); a configured folder without data is an error')
    .option('--sample', 'use the small sample of graph/seed/ (env ICDKG_SAMPLE=1)')
    .option('--mcp-http', 'also serve the MCP server over Streamable HTTP at /mcp (env ICDKG_MCP_HTTP=1)')
    .addHelpText('after', '\nExample:\n  ICDKG_DATA_DIR=../shared/data icdkg serve --port 4000\n  curl -s localhost:4000/graphql -H content-type:application/json -d \'{"query":"{ code(code: \\"I25.2\\") { title } }"}\'')
    .action(async (flags: ServeFlags) => {
      const config = configFor(flags);
      if (flags.port !== undefined) config.port = flags.port;
      if (flags.host !== undefined) config.host = flags.host;
      if (flags.mcpHttp) config.mcpHttp = true;
      const server = await startServer(config);
      process.stderr.write(`icdkg: GraphQL API at ${server.url} (health: ${server.url.replace(/\/graphql$/, '/health')}; FHIR: ${server.url.replace(/\/graphql$/, '/fhir')}${config.mcpHttp ? `; MCP: ${server.url.replace(/\/graphql$/, '/mcp')}` : ''})\n`);
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'stopping');
        server.close().then(
          () => process.exit(0),
          (err: unknown) => {
            logger.error({ err }, 'error while stopping');
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
    });
}
