import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** This process's environment without a data folder (CI sets one). */
function sampleEnv(): Record<string, string> {
  const { ICDKG_DATA_DIR: _dataDir, ...env } = process.env as Record<string, string>;
  return env;
}

describe('icdkg mcp (stdio)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'icdkg-mcp-stdio-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers an SDK client launched as a host would launch it', async () => {
    const transport = new StdioClientTransport({
      command: path.resolve('node_modules/.bin/tsx'),
      args: [path.resolve('src/cli/main.ts'), 'mcp'],
      // The sample (asked for: a configured folder without data is an error), a fresh journal; logs on stderr only.
      env: { ...sampleEnv(), ICDKG_SAMPLE: '1', ICDKG_JOURNAL_DIR: dir, ICDKG_LOG_LEVEL: 'warn' },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'icdkg-stdio-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect((await client.listTools()).tools.length).toBe(7);
      const res = await client.callTool({ name: 'lookup_code', arguments: { code: 'I25.2' } });
      expect(JSON.parse((res.content as { text: string }[])[0]!.text)).toMatchObject({ code: 'I25.2', parent: 'I25' });
    } finally {
      await client.close();
    }
  }, 60_000);
});
