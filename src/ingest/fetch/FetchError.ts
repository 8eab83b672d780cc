/**
 * A failure of `icdkg data fetch`: names the source (manifest entry) it concerns and says what
 * went wrong (HTTP status, expected and actual SHA-256, the offending archive member). Whenever
 * it is thrown, nothing of that run has been written to the data folder.
 */
export class FetchError extends Error {
  /** The manifest source's name, or null for errors about the whole run (bad manifest, ...). */
  readonly source: string | null;
  constructor(source: string | null, message: string, options?: { cause?: unknown }) {
    super(source === null ? message : `${source}: ${message}`, options);
    this.name = 'FetchError';
    this.source = source;
  }
}
