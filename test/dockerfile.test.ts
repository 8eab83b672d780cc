import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The image builds from what the repository holds and installs as a local `npm install` does:
 * every COPY source exists; everything `npm ci` and the `prepare` script read is copied before
 * the install step; no npm setting lives outside package.json (no .npmrc to forget) and the
 * install step passes none on its command line.
 */
const dockerfile = readFileSync('Dockerfile', 'utf8');
const lines = dockerfile.split('\n').filter((l) => !l.startsWith('#'));
const installAt = lines.findIndex((l) => /^RUN .*npm (ci|install)\b/.test(l));
const copies = lines.flatMap((l, i) => {
  const m = /^COPY\s+(?!--from)(.+)$/.exec(l);
  if (!m) return [];
  const parts = m[1]!.trim().split(/\s+/);
  return parts.slice(0, -1).map((source) => ({ source: source.replace(/^\.\//, ''), beforeInstall: i < installAt }));
});
const copiedBeforeInstall = (path: string) => copies.some((c) => c.beforeInstall && (c.source === path || path.startsWith(`${c.source}/`)));

describe('Dockerfile', () => {
  it('copies only files that exist', () => {
    expect(copies.length).toBeGreaterThan(5);
    expect(copies.filter((c) => !existsSync(c.source)).map((c) => c.source)).toEqual([]);
  });

  it('copies what the install and the prepare script read before installing, and what the CLI reads at run time', () => {
    expect(installAt).toBeGreaterThan(0);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    // Files named on the prepare command line (tsconfig files, scripts) and what they read.
    const named = [...pkg.scripts.prepare!.matchAll(/(?:-p |node )(\S+)/g)].map((m) => m[1]!);
    const needed = ['package.json', 'package-lock.json', 'tsconfig.json', ...named, 'tools/graphiql/entry.js', 'web', 'src', 'schema', 'data-sources.json'];
    expect(needed.filter((p) => !copiedBeforeInstall(p))).toEqual([]);
  });

  it('installs with the same settings as a local install', () => {
    // Settings in a project .npmrc would apply locally only if the image did not copy it; keep them in package.json.
    expect(existsSync('.npmrc')).toBe(false);
    const install = lines[installAt]!;
    expect(install).toMatch(/npm ci\b/);
    expect(install).not.toMatch(/--(?!include=dev\b|omit=dev\b|force\b)[\w-]+=/);
    expect(install).not.toMatch(/npm_config_|ONNXRUNTIME_NODE_INSTALL/);
    expect(dockerfile).not.toMatch(/^ENV .*(npm_config_|ONNXRUNTIME_NODE_INSTALL)/m);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { allowScripts: Record<string, boolean> };
    // onnxruntime-node's install script downloads CUDA binaries: left out (CPU binaries ship in the package).
    expect(pkg.allowScripts['onnxruntime-node']).toBe(false);
  });
  it('runs the server as npm start does (the same node flags)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(dockerfile)![1]!) as string[];
    expect(cmd.join(' ')).toBe(pkg.scripts.start);
  });
});
