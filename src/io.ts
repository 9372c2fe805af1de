/**
 * The library's filesystem access (Node only): a model folder as a file source for the layout table, and a
 * tokenizer.json found from a path that is the file itself or a model folder.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StaticEmbedError } from './errors.js';
import { resolveLayout, type FileSource } from './formats/layouts.js';
import { StaticModel, parseJsonFile, type LoadOptions } from './model.js';
import { Tokenizer } from './tokenizer/index.js';

export function readFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (cause) {
    throw new StaticEmbedError('IO_ERROR', `Cannot read ${path}: ${(cause as Error).message}.`, { cause });
  }
}

/** A model folder on disk. */
export class FolderSource implements FileSource {
  constructor(readonly dir: string) {}
  has(path: string): boolean {
    const p = join(this.dir, path);
    return existsSync(p) && statSync(p).isFile();
  }
  readJson(path: string): unknown {
    return parseJsonFile(readFile(join(this.dir, path)), join(this.dir, path));
  }
  bytes(path: string): Uint8Array {
    return readFile(join(this.dir, path));
  }
}

export function isDirectory(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}

/** Loads a model from a folder in any known layout. */
export function loadModelFolder(dir: string, options: LoadOptions = {}): StaticModel {
  if (!isDirectory(dir)) throw new StaticEmbedError('NOT_FOUND', `${dir} is not a folder: give a model folder (sentence-transformers or model2vec layout) or a Hub id.`);
  const src = new FolderSource(dir);
  const resolved = resolveLayout(src, dir);
  return StaticModel.fromParts(src.bytes(resolved.tokenizer), src.bytes(resolved.weights), resolved, options);
}

/** Places a tokenizer.json is found in a model folder, in order. */
const TOKENIZER_PLACES = ['tokenizer.json', '0_StaticEmbedding/tokenizer.json'];

export function findTokenizerFile(path: string): string {
  if (!existsSync(path)) throw new StaticEmbedError('NOT_FOUND', `No file or folder at ${path}: give a tokenizer.json file or a model folder.`);
  if (statSync(path).isFile()) return path;
  for (const rel of TOKENIZER_PLACES) {
    const p = join(path, rel);
    if (existsSync(p)) return p;
  }
  const src = new FolderSource(path);
  try {
    return join(path, resolveLayout(src, path).tokenizer);
  } catch {
    throw new StaticEmbedError('NOT_FOUND', `No tokenizer.json in ${path}: looked for ${[...TOKENIZER_PLACES, '<module folder from modules.json>/tokenizer.json'].join(', ')}.`);
  }
}

export function loadTokenizer(path: string): Tokenizer {
  return Tokenizer.fromJSON(readFile(findTokenizerFile(path)));
}
