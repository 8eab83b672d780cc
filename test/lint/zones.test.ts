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

describe('lint: import zones (DESIGN §1)', () => {
  it('refuses src/graph/ importing ingest', async () => {
    const errors = await zoneErrors('src/graph/breach.ts', "export { loadDataDir } from '../ingest/loadDataDir.js';\n");
    expect(errors).toEqual([expect.stringContaining('src/graph/ imports nothing from ingest')]);
  });

  it('refuses one store adapter importing the other', async () => {
    const errors = await zoneErrors('src/graph/neo4j/breach.ts', "export { MemoryStore } from '../memory/MemoryStore.js';\n");
    expect(errors).toEqual([expect.stringContaining('The adapters never import each other')]);
  });

  it('refuses a bench importing the CLI', async () => {
    const errors = await zoneErrors('bench/breach.ts', "export { commands } from '../src/cli/commands/index.js';\n");
    expect(errors).toEqual([expect.stringContaining('Nothing imports src/cli/')]);
  });

  it('refuses a resolver reaching an adapter instead of the port', async () => {
    const errors = await zoneErrors('src/resolvers/breach.ts', "export { NameIndex } from '../graph/shared/NameIndex.js';\n");
    expect(errors).toEqual([expect.stringContaining('through the GraphStore port')]);
  });

  it('refuses coding importing prediction', async () => {
    const errors = await zoneErrors('src/pipeline/coding/breach.ts', "export { PredictorRegistry } from '../prediction/PredictorRegistry.js';\n");
    expect(errors).toEqual([expect.stringContaining('Coding and prediction share only')]);
  });

  it('lets ingest import the graph model types, and a resolver the port', async () => {
    expect(await zoneErrors('src/ingest/ok.ts', "export type { Code } from '../graph/model.js';\n")).toEqual([]);
    expect(await zoneErrors('src/resolvers/ok.ts', "export type { GraphStore } from '../graph/GraphStore.js';\n")).toEqual([]);
  });
});
