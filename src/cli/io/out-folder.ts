/**
 * The --out DIR of commands that write a folder of their own files (convert, eval).
 * See ARCHITECTURE.md, "CLI rules".
 */
import { readdirSync } from 'node:fs';
import { StaticEmbedError } from '../../errors.js';
import { checkOutputFolder, type OutputSpec } from './output-path.js';
import { writeFolderAtomic } from '../../runtime/node/atomic-write.js';
import { isModelFolderEntry } from '../../transform/save.js';

export interface OutFolder extends OutputSpec {
  command: string;
  /** the command's own files, as the messages name them ("the model files") */
  files: string;
  /** whether an entry of the folder is one the command writes (replaced by --overwrite) */
  owns(name: string): boolean;
  /** a folder of the command's own files only (a previous run) is replaced without --overwrite */
  replacesPrevious: boolean;
}

/** convert --out: a model folder. */
export const MODEL_OUT: OutFolder = {
  option: '--out',
  what: 'the model',
  command: 'convert',
  files: 'the model files',
  owns: isModelFolderEntry,
  replacesPrevious: false,
};

/** eval --out: MTEB JSON per dimension (dim-<d>/) and the reports. */
export const EVAL_OUT: OutFolder = {
  option: '--out',
  what: 'the results',
  command: 'eval',
  files: 'the results of eval (dim-<d>/ folders, report.md, chart.svg, report.html)',
  owns: (name) => /^dim-\d+$/.test(name) || ['report.md', 'chart.svg', 'report.html'].includes(name),
  replacesPrevious: true,
};

/** The state of --out DIR: new (or empty), a previous run's (replaced), or other files kept beside ours (--overwrite). */
export type OutFolderState = 'new' | 'previous' | 'overwrite';

const listed = (names: string[]) =>
  names.slice(0, 3).join(', ') + (names.length > 3 ? `, … (${names.length} entries)` : '');

/** Checks --out DIR before anything is computed (exit 2 with the fix when it cannot be written). */
export function checkOutFolder(dir: string, spec: OutFolder, overwrite: boolean): OutFolderState {
  checkOutputFolder(dir, spec);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'new';
    throw e;
  }
  if (entries.length === 0) return 'new';
  const others = entries.filter((name) => !spec.owns(name));
  if (others.length === 0 && spec.replacesPrevious) return 'previous';
  if (overwrite) return 'overwrite';
  throw new StaticEmbedError(
    'INVALID_ARGUMENT',
    spec.replacesPrevious
      ? `--out ${dir} is not empty and holds files static-embed ${spec.command} did not write (${listed(others)}): it ` +
          `does not write beside them. Choose another --out folder (a new one, or a previous result folder of ` +
          `${spec.command}), or pass --overwrite to replace ${spec.files} in it and leave the other files alone.`
      : `--out ${dir} is not empty (${listed(entries)}): static-embed ${spec.command} does not write over an existing ` +
          `folder. Choose another --out folder, or pass --overwrite to replace ${spec.files} in it.`,
  );
}

/** Writes --out DIR atomically with `fill(folder)`: the command's own entries replaced, the others kept. */
export function writeOutFolder<T>(dir: string, spec: OutFolder, fill: (folder: string) => T): T {
  return writeFolderAtomic(dir, fill, { keep: (name) => !spec.owns(name) });
}
