/**
 * The output paths of the CLI (--out, --output, --db), checked before any work is done.
 * See ARCHITECTURE.md, "CLI rules".
 */
import { accessSync, constants, rmdirSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import { makeFolder, missingFolders } from '../../runtime/node/make-folder.js';
import { fsReason } from '../cli-errors.js';

/** What is written: the option that names the path and (for the messages) what goes there. */
export interface OutputSpec {
  /** the option, e.g. "--out" */
  option: string;
  /** what the path receives, e.g. "the model folder" or "the classifier (a .json file)" */
  what: string;
}

/** `problem` follows the path: ": cannot …" or " is …". */
const errorOf = (spec: OutputSpec, path: string, problem: string, fix: string, cause?: unknown) =>
  new StaticEmbedError('IO_ERROR', `${spec.option} ${path}${problem}. ${fix}`, cause ? { cause } : undefined);

/** The nearest existing ancestor of a path (itself, if it exists), and the folders below it that are missing. */
function missingChain(path: string): { ancestor: string; stats: Stats; missing: string[] } {
  const missing = missingFolders(path);
  const ancestor = missing.length > 0 ? dirname(missing[0]!) : resolve(path);
  return { ancestor, stats: statSync(ancestor), missing };
}

function assertWritable(spec: OutputSpec, path: string, folder: string): void {
  try {
    accessSync(folder, constants.W_OK);
  } catch (e) {
    throw errorOf(spec, path, `: cannot write into ${folder} (${fsReason(e)})`, 'Choose a folder you can write to.', e);
  }
}

function notAFolder(spec: OutputSpec, path: string, file: string): StaticEmbedError {
  return file === path
    ? errorOf(spec, path, ' is a file, not a folder', `Give a new folder (or an existing one) for ${spec.what}.`)
    : errorOf(
        spec,
        path,
        `: ${file} is a file, not a folder, so nothing can be created under it`,
        `Choose another path for ${spec.what}, one whose parent folders are folders.`,
      );
}

/** Creates a folder and its missing parents; IO_ERROR naming the one that cannot be created. */
function createFolder(spec: OutputSpec, path: string, folder: string): void {
  try {
    makeFolder(folder);
  } catch (e) {
    throw errorOf(
      spec,
      path,
      `: cannot create the folder ${(e as NodeJS.ErrnoException).path ?? folder} (${fsReason(e)})`,
      `Choose another path for ${spec.what}, in a folder you can write to.`,
      e,
    );
  }
}

/** Checks a folder the command will write (see the file comment) without leaving anything behind. */
export function checkOutputFolder(path: string, spec: OutputSpec): void {
  const full = resolve(path);
  const { ancestor, stats, missing } = missingChain(full);
  if (!stats.isDirectory()) throw notAFolder(spec, path, ancestor === full ? path : ancestor);
  if (missing.length === 0) {
    assertWritable(spec, path, full);
    return;
  }
  // can a folder be created there? (write permission is not enough: /proc, /sys, read-only mounts)
  const probe = missing[0]!;
  createFolder(spec, path, probe);
  rmdirSync(probe);
}

/** Checks a folder the command writes and creates it (and its missing parents). */
export function makeOutputFolder(path: string, spec: OutputSpec): void {
  checkOutputFolder(path, spec);
  createFolder(spec, path, resolve(path));
}

/** Checks a file the command will write ("-" is stdout): not a folder, in an existing folder that is writable. */
export function checkOutputFile(path: string, spec: OutputSpec & { example: string }): void {
  if (path === '-') return;
  const full = resolve(path);
  const { ancestor, stats, missing } = missingChain(full);
  if (missing.length === 0) {
    if (stats.isDirectory())
      throw errorOf(
        spec,
        path,
        ' is a folder, not a file',
        `Give the path of a file for ${spec.what}, e.g. ${join(path, spec.example)}.`,
      );
    assertWritable(spec, path, full);
    return;
  }
  if (!stats.isDirectory()) throw notAFolder(spec, path, ancestor);
  const folder = dirname(full);
  if (ancestor !== folder)
    throw errorOf(
      spec,
      path,
      `: the folder ${folder} does not exist`,
      `Create it first (mkdir -p ${folder}) or choose a file in an existing folder.`,
    );
  assertWritable(spec, path, folder);
}

/** A failed write of an output file as the IO_ERROR of checkOutputFile (e.g. the folder went away meanwhile). */
export function writeError(path: string, option: string | undefined, e: unknown): StaticEmbedError {
  if (path === 'stdout')
    return new StaticEmbedError(
      'IO_ERROR',
      `cannot write to standard output (${fsReason(e)}): check the file or pipe it is redirected to.`,
      { cause: e },
    );
  return new StaticEmbedError(
    'IO_ERROR',
    `${option ? `${option} ` : ''}${path}: cannot write (${fsReason(e)}). Check that its folder exists and that you can write to it, or choose another path.`,
    { cause: e },
  );
}
