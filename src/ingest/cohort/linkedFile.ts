import { existsSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { IngestError } from '../../errors.js';
import { cohortLines } from './cohortLines.js';

/** The first line of a linked file: which coder produced it. */
export interface LinkHeader {
  format: 'icdkg-linked';
  version: 1;
  /** SHA-256 of the coder's model file (from its manifest), so a resume never mixes coders. */
  model: string;
  /** The cohort (file path or corpus name) it belongs to. */
  cohort: string;
}

/** The default linked file of a cohort file: `X.jsonl` -> `X.linked.jsonl`. */
export function linkedPathOf(cohortPath: string): string {
  return `${cohortPath.replace(/\.jsonl$/, '')}.linked.jsonl`;
}

/**
 * Reads a linked file (`{"linkHeader"}` then `{"appointmentId","codes"}` lines) into a map.
 * `repair` truncates a torn last line (a crash mid-write) instead of failing, for resuming.
 *
 * @example const linked = await readLinked('demo.linked.jsonl'); linked.codes.get('P001-1')
 */
export async function readLinked(path: string, options: { repair?: boolean } = {}): Promise<{ header: LinkHeader | null; codes: Map<string, string[]> }> {
  if (options.repair && existsSync(path)) {
    // Drop bytes after the last newline: an unacknowledged, half-written record.
    const size = statSync(path).size;
    if (size > 0) {
      const text = readFileSync(path);
      const cut = text.lastIndexOf(0x0a) + 1;
      if (cut < size) truncateSync(path, cut);
    }
  }
  const codes = new Map<string, string[]>();
  let header: LinkHeader | null = null;
  for await (const { text, line } of cohortLines(path)) {
    if (text.trim() === '') continue;
    let o: { linkHeader?: LinkHeader; appointmentId?: unknown; codes?: unknown };
    try {
      o = JSON.parse(text) as typeof o;
    } catch {
      throw new IngestError(path, line, 'not valid JSON');
    }
    if (o.linkHeader) {
      if (line !== 1) throw new IngestError(path, line, 'a linkHeader is allowed on the first line only');
      header = o.linkHeader;
      continue;
    }
    if (typeof o.appointmentId !== 'string' || !Array.isArray(o.codes) || o.codes.some((c) => typeof c !== 'string')) {
      throw new IngestError(path, line, 'expected {"appointmentId": string, "codes": [string]}');
    }
    codes.set(o.appointmentId, o.codes as string[]);
  }
  return { header, codes };
}
