/**
 * The --out DIR of commands that write a model folder (convert): a new or empty folder is written into; a non-empty
 * one is refused unless --overwrite is given, which replaces the model files it holds (those of either layout, the
 * card, the licence files) and leaves any other file alone.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StaticEmbedError } from '../../errors.js';

/** What a model folder written by static-embed (or read by it) consists of, either layout. */
export const MODEL_FOLDER_ENTRIES = [
  'modules.json',
  'config_sentence_transformers.json',
  '0_StaticEmbedding',
  '1_Normalize',
  'config.json',
  'model.safetensors',
  'tokenizer.json',
  'README.md',
  'LICENSE',
  'LICENSE.md',
  'LICENSE.txt',
  'NOTICE',
] as const;

/** Checks --out DIR before anything is computed: a new folder, an empty one, or (with `overwrite`) any folder. */
export function checkModelFolderOut(dir: string, command: string, overwrite: boolean): void {
  let entries: string[];
  try {
    if (!statSync(dir).isDirectory())
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--out ${dir} is a file, not a folder: give a new or empty folder for the model.`,
      );
    entries = readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // a new folder
    throw e;
  }
  if (entries.length === 0) return;
  if (!overwrite) {
    const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--out ${dir} is not empty (${shown}): static-embed ${command} does not write over an existing folder. ` +
        `Choose another --out folder, or pass --overwrite to replace the model files in it.`,
    );
  }
}

/**
 * --overwrite: removes the model files of DIR (no stale file of another layout or dtype stays behind), leaving other
 * files. Called once the source model and its licence files are in memory, so a folder converts into itself.
 */
export function clearModelFolder(dir: string): void {
  for (const name of MODEL_FOLDER_ENTRIES) rmSync(join(dir, name), { recursive: true, force: true });
}
