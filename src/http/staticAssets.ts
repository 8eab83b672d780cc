import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Content types of the files the server's bundled front ends consist of. */
const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

/** One file of a bundled front end, read once. */
export interface Asset {
  body: Buffer;
  type: string;
}

/**
 * The files of a built front end (`dist/graphiql/`, `dist/web/`) by name, read once when first
 * asked for (they do not change while the server runs). Only plain names of the folder with a
 * known type are served: no path from the request ever reaches the filesystem.
 *
 * @example staticFolder(new URL('../../dist/web/', import.meta.url))('index.html')?.type // 'text/html; charset=utf-8'
 */
export function staticFolder(dir: URL): (name: string) => Asset | null {
  let files: Map<string, Asset> | null = null;
  return (name) => {
    if (files === null) {
      files = new Map();
      if (existsSync(dir)) {
        for (const file of readdirSync(dir)) {
          const type = TYPES[file.slice(file.lastIndexOf('.') + 1)];
          if (type !== undefined) files.set(file, { body: readFileSync(new URL(file, dir)), type });
        }
      }
    }
    return files.get(name) ?? null;
  };
}
