import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import { configFor } from '../options.js';
import { createStore } from '../../createStore.js';
import { logger } from '../../logger.js';
import { createMcpServer } from '../../mcp/createMcpServer.js';
import { createServices } from '../../services.js';

/**
 * `icdkg mcp [--data-dir DIR]`: the MCP server over stdio (docs/mcp.md), for an agent host to
 * launch. Stdout carries the protocol only; logs go to stderr.
 */
export function register(program: Command): void {
  program
    .command('mcp')
    .description('serve the read-only ICD-10 tools and icd10:// resources over the Model Context Protocol (stdio)')
    .option('-d, --data-dir <dir>', 'data folder (env ICDKG_DATA_DIR)')
    .addHelpText('after', '\nExample (an MCP host configuration):\n  { "command": "icdkg", "args": ["mcp"], "env": { "ICDKG_DATA_DIR": "/data" } }')
    .action(async (flags: { dataDir?: string }) => {
      const config = configFor(flags);
      const store = await createStore(config, { follow: true });
      const services = createServices(config, store, logger);
      const server = createMcpServer(services, logger);
      const transport = new StdioServerTransport();
      transport.onclose = () => {
        void store.close().then(() => process.exit(0));
      };
      await server.connect(transport);
      logger.info({ store: store.kind }, 'MCP server on stdio');
    });
}
