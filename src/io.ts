/**
 * The library's filesystem access (Node only): finding and reading a tokenizer.json from a path that is the
 * file itself or a model folder in any known layout.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StaticEmbedError } from './errors.js';
import { Tokenizer } from './tokenizer/index.js';

/** Places a tokenizer.json is found in a model folder, in order. */
const TOKENIZER_PLACES = ['tokenizer.json', '0_StaticEmbedding/tokenizer.json'];

export function findTokenizerFile(path: string): string {
  if (!existsSync(path)) throw new StaticEmbedError('NOT_FOUND', `No file or folder at ${path}: give a tokenizer.json file or a model folder.`);
  if (statSync(path).isFile()) return path;
  for (const rel of TOKENIZER_PLACES) {
    const p = join(path, rel);
    if (existsSync(p)) return p;
  }
  const modules = join(path, 'modules.json');
  if (existsSync(modules)) {
    try {
      const list = JSON.parse(readFileSync(modules, 'utf8')) as Array<{ path?: string; type?: string }>;
      for (const m of list) {
        if (m.path !== undefined && existsSync(join(path, m.path, 'tokenizer.json'))) return join(path, m.path, 'tokenizer.json');
      }
    } catch {
      // fall through to the error below
    }
  }
  throw new StaticEmbedError('NOT_FOUND', `No tokenizer.json in ${path}: looked for ${[...TOKENIZER_PLACES, '<module folder from modules.json>/tokenizer.json'].join(', ')}.`);
}

export function loadTokenizer(path: string): Tokenizer {
  const file = findTokenizerFile(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (cause) {
    throw new StaticEmbedError('IO_ERROR', `Cannot read ${file}: ${(cause as Error).message}.`, { cause });
  }
  return Tokenizer.fromJSON(bytes);
}
