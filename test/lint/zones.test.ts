import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

// Lints small texts as if they were files at the given paths (the files need not exist; their
// imports resolve to real modules), so that a zone that silently stops matching is caught.
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: process.cwd() });
});

async function zoneErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

const BREACHES: [what: string, filePath: string, code: string, message: string][] = [
  ['src/graph/ importing ingest', 'src/graph/breach.ts', "export { loadDataDir } from '../ingest/loadDataDir.js';", 'src/graph/ imports nothing from ingest'],
  ['one store adapter importing the other', 'src/graph/neo4j/breach.ts', "export { MemoryStore } from '../memory/MemoryStore.js';", 'The adapters never import each other'],
  ['a bench importing the CLI', 'bench/breach.ts', "export { commands } from '../src/cli/commands/index.js';", 'Nothing imports src/cli/'],
  ['a resolver reaching an adapter instead of the port', 'src/resolvers/breach.ts', "export { NameIndex } from '../graph/shared/NameIndex.js';", 'through the GraphStore port'],
  ['coding importing prediction', 'src/pipeline/coding/breach.ts', "export { PredictorRegistry } from '../prediction/PredictorRegistry.js';", 'Coding and prediction share only'],
  ['evaluation importing the pipeline', 'src/evaluation/breach.ts', "export { startCoderPool } from '../pipeline/coding/batch/coderPool.js';", 'src/evaluation/ imports only the graph port'],
  ['an export importing the pipeline', 'src/export/breach.ts', "export { startCoderPool } from '../pipeline/coding/batch/coderPool.js';", 'src/fhir/ and src/export/ reach the graph'],
  ['the FHIR handlers importing the HTTP server', 'src/fhir/breach.ts', "export { createHttpServer } from '../http/createHttpServer.js';", 'src/fhir/ and src/export/ reach the graph'],
  ['the explorer importing the server', 'web/src/breach.ts', "export { loadConfig } from '../../src/config.js';", 'web/ (the explorer) uses the GraphQL API only'],
  ['the MCP server importing the composition root', 'src/mcp/breach.ts', "export { createStore } from '../createStore.js';", 'src/mcp/ uses the services'],
];

describe('lint: import zones (DESIGN §1)', () => {
  it.each(BREACHES)('refuses %s', async (_what, filePath, code, message) => {
    expect(await zoneErrors(filePath, `${code}\n`)).toEqual([expect.stringContaining(message)]);
  });

  it('lets ingest import the graph model types, and a resolver the port', async () => {
    expect(await zoneErrors('src/ingest/ok.ts', "export type { Code } from '../graph/model.js';\n")).toEqual([]);
    expect(await zoneErrors('src/resolvers/ok.ts', "export type { GraphStore } from '../graph/GraphStore.js';\n")).toEqual([]);
  });
});
