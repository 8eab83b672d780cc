import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

// The explorer's query types come from web/src/graphql-env.d.ts, generated from the schema
// snapshot: a schema change without `npm run web:types` would type the queries against an old API.
it("the explorer's generated GraphQL types match the schema snapshot", () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'icdkg-tada-'));
  try {
    const out = path.join(dir, 'graphql-env.d.ts');
    execFileSync(process.execPath, [path.resolve('node_modules/gql.tada/bin/cli.js'), 'generate', 'output', '--output', out], { cwd: 'web', stdio: 'pipe' });
    expect(readFileSync(out, 'utf8')).toBe(readFileSync('web/src/graphql-env.d.ts', 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
