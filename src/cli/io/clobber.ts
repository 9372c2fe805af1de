/** Output files that would destroy something: one of the command's inputs or a file of its model (compared as files,
 * so links and hard links count), refused always; an existing file, refused unless --overwrite. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import { fileIdentity } from '../../runtime/node/atomic-write.js';
import { checkOutputFile, type OutputSpec } from './output-path.js';

/** An input of a command: the option and its path (a folder, such as a model, stands for every file in it). */
export interface NamedInput {
  option: string;
  path: string | undefined;
}

export interface FileOutput extends OutputSpec {
  /** a file name for the "e.g." of the messages */
  example: string;
  command: string;
  /** --overwrite was given */
  overwrite: boolean;
  inputs: NamedInput[];
}

/** At most this many files of an input folder are compared (a model folder holds a handful). */
const MAX_FOLDER_FILES = 10_000;

/** The file of `input` (itself, or one in its folder) that is the file `id`, if any. */
function sameFileIn(id: string, input: string): string | undefined {
  let seen = 0;
  const walk = (p: string, depth: number): string | undefined => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return undefined;
    }
    if (!st.isDirectory()) return ++seen <= MAX_FOLDER_FILES && `${st.dev}:${st.ino}` === id ? p : undefined;
    if (depth > 4) return undefined;
    let names: string[];
    try {
      names = readdirSync(p);
    } catch {
      return undefined;
    }
    for (const n of names) {
      const hit = walk(join(p, n), depth + 1);
      if (hit !== undefined || seen > MAX_FOLDER_FILES) return hit;
    }
    return undefined;
  };
  return walk(input, 0);
}

/**
 * Checks an output file before any work (output-path.ts's checks first): refuses one that is an input's file or a
 * file of the model (whatever --overwrite says), then an existing file without --overwrite. "-" (stdout) passes.
 */
export function checkFileOutput(path: string, o: FileOutput): void {
  checkOutputFile(path, o);
  if (path === '-') return;
  // a device or FIFO would be replaced by a regular file (the write is a rename): /dev/null, say, for everyone
  const st = statSync(path, { throwIfNoEntry: false });
  if (st && !st.isFile() && !st.isDirectory())
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `${o.option} ${path} is not a regular file (a device, FIFO or socket), which a write by rename would replace. ` +
        `Give a file path, or leave out ${o.option} to write to standard output and redirect that.`,
    );
  const id = fileIdentity(path);
  if (id === undefined) return;
  for (const input of o.inputs) {
    if (input.path === undefined || input.path === '-') continue;
    const hit = sameFileIn(id, input.path);
    if (hit === undefined) continue;
    const what =
      hit === input.path ? `${input.option} ${input.path}` : `${hit}, a file of ${input.option} ${input.path}`;
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `${o.option} ${path} is the same file as ${what}: writing ${o.what} there would destroy it. Choose another ` +
        `${o.option} file (e.g. ${o.example}).`,
    );
  }
  if (!o.overwrite)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `${o.option} ${path} exists: static-embed ${o.command} does not write over an existing file. Choose another ` +
        `${o.option} file, or pass --overwrite to replace it.`,
    );
}
