import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../logger.js';
import { createMcpServer } from './createMcpServer.js';
import type { McpServices } from './createMcpServer.js';

/**
 * The MCP server over Streamable HTTP for the HTTP server to mount at `/mcp` (when
 * `config.mcpHttp`): stateless, one MCP server and transport per request (the tools keep no
 * session state), bodies over `maxBodyBytes` refused with 413 before they are read.
 *
 * @example mounts.push({ prefix: '/mcp', handle: createMcpHttpHandler(services, logger, 1 << 20) });
 */
export function createMcpHttpHandler(services: McpServices, logger: Logger, maxBodyBytes: number) {
  return async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32600, message: `Request body exceeds ${maxBodyBytes} bytes` }, id: null }));
      req.resume();
      return;
    }
    const server = createMcpServer(services, logger.child({ requestId }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };
}
