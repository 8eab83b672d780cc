import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IngestError } from '../errors.js';
import { referenceMentions } from './referenceMentions.js';
import type { ReferenceMention } from './referenceMentions.js';
import { compareDocumentIds } from '../util/compareDocumentIds.js';
import { readTextFile } from './readUtf8File.js';
import { parseAnn } from './loadBrat.js';

/** One document of a brat folder, as evaluation reads it. */
export interface BratDocument {
  documentId: string;
  mentions: ReferenceMention[];
}

/** Two brat folders read for evaluation. */
export interface BratFolders {
  gold: BratDocument[];
  predicted: BratDocument[];
  /** `.ann` files of the prediction folder with no gold document (ignored). */
  extraPredictions: string[];
  /** Validation problems (`file:line: what`) read past in lenient mode, one per file at most. */
  problems: string[];
}

function annIds(dir: string, flag: string): string[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${flag} ${dir}: not a directory`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ann'))
    .map((f) => f.slice(0, -4))
    .sort(compareDocumentIds);
}

/**
 * Reads a gold and a prediction brat folder. Gold documents are the gold folder's `*.ann` files,
 * each with its `.txt` beside it. Every file is validated as the corpus loader validates it
 * (`parseAnn`: offsets inside the text, mention text equal to the text there, well-formed lines;
 * a prediction against the *gold* text) and fails with `file:line: what`. The mentions compared
 * are then read from the columns as the reference evaluator reads them ({@link referenceMentions}).
 */
/** @example const { gold, predicted } = readBratFolders('gold/', 'pred/'); */
export function readBratFolders(goldDir: string, predDir: string, strict = true, encoding = 'utf-8'): BratFolders {
  const readUtf8File = (file: string) => readTextFile(file, encoding);
  const problems: string[] = [];
  // The reference evaluator reads columns and never rejects a file; in lenient mode a file that
  // fails validation is still read that way, and the problem is reported instead of thrown.
  const validate = (ann: string, text: string, file: string): void => {
    try {
      parseAnn(ann, text, file);
    } catch (err) {
      if (strict || !(err instanceof IngestError)) throw err;
      problems.push(err.message);
    }
  };
  const goldIds = annIds(goldDir, '--gold');
  if (goldIds.length === 0) throw new Error(`--gold ${goldDir}: no .ann files (an empty gold folder evaluates nothing)`);
  const predIds = new Set(annIds(predDir, '--pred'));
  if (predIds.size === 0) throw new Error(`--pred ${predDir}: no .ann files (an empty prediction folder scores 0 on everything)`);
  const gold: BratDocument[] = [];
  const predicted: BratDocument[] = [];
  for (const id of goldIds) {
    const annFile = join(goldDir, `${id}.ann`);
    const txtFile = join(goldDir, `${id}.txt`);
    if (!existsSync(txtFile)) throw new IngestError(annFile, 1, `no text file ${id}.txt beside it`);
    const text = readUtf8File(txtFile);
    const ann = readUtf8File(annFile);
    validate(ann, text, annFile);
    gold.push({ documentId: id, mentions: referenceMentions(ann) });
    if (predIds.has(id)) {
      const predFile = join(predDir, `${id}.ann`);
      const predAnn = readUtf8File(predFile);
      validate(predAnn, text, predFile);
      predicted.push({ documentId: id, mentions: referenceMentions(predAnn) });
      predIds.delete(id);
    }
  }
  return { gold, predicted, extraPredictions: [...predIds], problems };
}

