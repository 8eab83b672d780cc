import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

/**
 * `npm install` on Node 20 warns about nothing: every package of the lockfile accepts Node 20
 * (no EBADENGINE; `overrides` in package.json pin the `@whatwg-node/*` and `sync-fetch` releases
 * that still do), and no setting lives in a project .npmrc (npm warns about unknown ones).
 */
const NODE_20 = process.versions.node.startsWith('20.') ? process.versions.node : '20.19.0';

describe('install hygiene', () => {
  it(`every package in package-lock.json accepts Node ${NODE_20}`, () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[]; version?: string }> };
    const refusing = Object.entries(lock.packages)
      .map(([path, p]) => ({ path, range: !Array.isArray(p.engines) ? p.engines?.node : undefined }))
      .filter((p): p is { path: string; range: string } => typeof p.range === 'string' && !semver.satisfies(NODE_20, p.range))
      .map((p) => `${p.path} needs node ${p.range}`);
    expect(refusing).toEqual([]);
  });

  it('keeps onnxruntime-node out of allowScripts (its install script downloads CUDA binaries)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts: Record<string, boolean> };
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false);
  });
});
