/**
 * One file of an export: its name inside the export (`icd10.ttl`, `codes.csv`; never a path), its
 * text in chunks (read once), and, for formats with rows, how many rows it held once its chunks
 * have been read. The CLI writes each to a file of `--out` (or stdout); the HTTP endpoint streams
 * it as the answer or as one entry of a zip archive: both read the same chunks.
 *
 * @example const file: ExportFile = { name: 'triples.tsv', rows: 1, chunks: (async function* () { yield 'I25.2\tPARENT\tI25\n'; })() };
 */
export interface ExportFile {
  name: string;
  chunks: AsyncIterable<string>;
  rows?: number;
}
