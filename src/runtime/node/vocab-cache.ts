/** The vocabulary tables of large tokenizers (tokenizer.vocab.bin) kept in the user's cache, keyed by tokenizer.json. */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Tokenizer } from '../../tokenizer/tokenizer.js';
import { VOCAB_TABLE_VERSION, jsonHash } from '../../tokenizer/vocab-table.js';
import { vocabTableOf } from '../../tokenizer/vocab-table-build.js';
import { writeFileAtomic } from './atomic-write.js';
import { readShareable } from './file-bytes.js';

/** A tokenizer.json smaller than this is scanned in a few milliseconds: no table is kept for it. */
const LARGE_TOKENIZER_BYTES = 100_000;

/**
 * The folder: $STATIC_EMBED_CACHE/vocab-tables, else $XDG_CACHE_HOME/static-embed/vocab-tables, else
 * ~/.cache/static-embed/vocab-tables; undefined when STATIC_EMBED_CACHE is "off".
 */
export function vocabCacheDir(): string | undefined {
  const own = process.env.STATIC_EMBED_CACHE;
  // "off" (and the other ways people write it: OFF, false, 0, none, no) turns the cache off, never names a folder
  if (own !== undefined && /^(off|false|0|none|no)$/i.test(own.trim())) return undefined;
  const base = own || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'static-embed');
  return join(base, 'vocab-tables');
}

/**
 * The file of a tokenizer.json's table: named by its length and hash, never by anything it contains, and by the
 * format's version (two versions of static-embed on one machine then never replace each other's tables).
 */
function entryFor(json: Uint8Array): string | undefined {
  const dir = vocabCacheDir();
  if (!dir || json.length < LARGE_TOKENIZER_BYTES) return undefined;
  const name = `${json.length}-${jsonHash(json).toString(16).padStart(8, '0')}-v${VOCAB_TABLE_VERSION}.bin`;
  return join(dir, name);
}

/** The cached table of this tokenizer.json, when there is one (it is checked against the JSON when read). */
export function cachedVocabTable(json: Uint8Array): Uint8Array | undefined {
  const file = entryFor(json);
  if (!file || !existsSync(file)) return undefined;
  try {
    // an entry is only ever a regular file this cache wrote: a link or a FIFO planted there is not opened, and a
    // file far larger than any table (they are at most about 3 × the JSON) is not read
    return readShareable(file, { regularOnly: true, maxBytes: 8 * json.length + (1 << 20) });
  } catch {
    return undefined; // unreadable: the tokenizer is built from tokenizer.json, as without a cache
  }
}

/**
 * The folder made one level at a time (a recursive mkdirSync never returns under /proc in Node 20): whether it now
 * exists and can be written to.
 */
function writableFolder(dir: string): boolean {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    if (dirname(d) === d || missing.length > 64) return false;
    missing.unshift(d);
  }
  try {
    for (const d of missing) mkdirSync(d);
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Keeps the table of a tokenizer just scanned from a large tokenizer.json (over an entry refused as damaged). Best
 * effort: a cache that cannot be written is left before any table is built; only the next load is slower.
 */
export function storeVocabTable(json: Uint8Array, tokenizer: Tokenizer): void {
  const file = entryFor(json);
  // only the WordPiece fast path has tables to keep (a large BPE or Unigram tokenizer has none)
  if (!file || tokenizer.usesVocabTable || !tokenizer.usesFastPath || !writableFolder(dirname(file))) return;
  try {
    const table = vocabTableOf(tokenizer, json);
    // renamed over the entry itself: a symbolic link planted there is replaced, never written through
    if (table) writeFileAtomic(file, table, { followLinks: false });
  } catch {
    // not kept: see above
  }
}
