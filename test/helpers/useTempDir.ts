import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh temporary folder for every test of the enclosing `describe` (removed after it), handed
 * to `set` before each test.
 *
 * @example let dir = ''; useTempDir('icdkg-x-', (d) => (dir = d));
 */
export function useTempDir(prefix: string, set: (dir: string) => void): void {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    set(dir);
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
}
