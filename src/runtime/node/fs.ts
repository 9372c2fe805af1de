/**
 * The library's filesystem access (Node only): a model folder as a file source for the layout table, and a
 * tokenizer.json found from a path that is the file itself or a model folder.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isModelFolderEntry, licenceId, modelFiles, type SourceLicence } from '../../transform/save.js';
import { StaticEmbedError } from '../../errors.js';
import { resolveLayout, type FileSource } from '../../formats/layouts.js';
import { parseJsonFile } from '../../model/files.js';
import { coreFromSafetensors } from '../../model/load.js';
import type { LoadOptions, ModelCore } from '../../model/core.js';
import type { StaticModel } from '../../model/static-model.js';
import { Tokenizer } from '../../tokenizer/tokenizer.js';
import { VOCAB_TABLE_FILE, vocabTablePath } from '../../tokenizer/vocab-table.js';
import { makeFolder } from './make-folder.js';
import { recoverInterruptedSwap, writeFolderAtomic } from './atomic-write.js';
import { FileByteSource, readShareable } from './file-bytes.js';
import { cachedVocabTable, storeVocabTable } from './vocab-cache.js';

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

/** A model's core from a folder in any known layout (runtime/node/api.ts's loadModelFolder makes the model). */
export function loadFolderCore(dir: string, options: LoadOptions = {}): ModelCore {
  // a folder whose replacement was killed half way is put back first (atomic-write.ts)
  if (!isDirectory(dir) && !recoverInterruptedSwap(dir))
    throw new StaticEmbedError(
      'NOT_FOUND',
      `${dir} is not a folder: give a model folder (sentence-transformers or model2vec layout) or a Hub id.`,
    );
  const src = new FolderSource(dir);
  const resolved = resolveLayout(src, dir);
  const json = readShareable(join(dir, resolved.tokenizer));
  const vocab = vocabTablePath(resolved.tokenizer);
  // a large vocabulary's tables: from the user's cache (kept there after a first load), else beside tokenizer.json
  const table = cachedVocabTable(json) ?? (src.has(vocab) ? readShareable(join(dir, vocab)) : undefined);
  const weights = FileByteSource.open(join(dir, resolved.weights));
  let core: ModelCore;
  try {
    // the file stays open for rows read on first use; the core closes it (see ModelCore.rows)
    core = coreFromSafetensors(json, weights, resolved, options, table, () => weights.close());
  } catch (e) {
    weights.close();
    throw e;
  }
  storeVocabTable(json, core.tokenizer);
  return core;
}

/** Places a tokenizer.json is found in a model folder, in order. */
const TOKENIZER_PLACES = ['tokenizer.json', '0_StaticEmbedding/tokenizer.json'];

export function findTokenizerFile(path: string): string {
  if (!existsSync(path))
    throw new StaticEmbedError(
      'NOT_FOUND',
      `No file or folder at ${path}: give a tokenizer.json file or a model folder.`,
    );
  if (statSync(path).isFile()) return path;
  for (const rel of TOKENIZER_PLACES) {
    const p = join(path, rel);
    if (existsSync(p)) return p;
  }
  const src = new FolderSource(path);
  try {
    return join(path, resolveLayout(src, path).tokenizer);
  } catch {
    throw new StaticEmbedError(
      'NOT_FOUND',
      `No tokenizer.json in ${path}: looked for ${[...TOKENIZER_PLACES, '<module folder from modules.json>/tokenizer.json'].join(', ')}.`,
    );
  }
}

export function loadTokenizer(path: string): Tokenizer {
  const file = findTokenizerFile(path);
  const vocab = join(dirname(file), VOCAB_TABLE_FILE);
  const json = readShareable(file);
  const table = cachedVocabTable(json) ?? (existsSync(vocab) ? readShareable(vocab) : undefined);
  const tokenizer = Tokenizer.fromJSON(json, table ? { vocabTable: table } : {});
  storeVocabTable(json, tokenizer);
  return tokenizer;
}

/** The licence of a local model folder (README front matter, LICENSE files) to carry into a converted copy. */
export function readSourceLicence(dir: string): SourceLicence | undefined {
  if (!isDirectory(dir)) return undefined;
  const files = new Map<string, Uint8Array>();
  for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'NOTICE'])
    if (existsSync(join(dir, name))) files.set(name, readFile(join(dir, name)));
  const readme = join(dir, 'README.md');
  const id = existsSync(readme) ? licenceId(new TextDecoder().decode(readFile(readme))) : undefined;
  return id || files.size ? { ...(id ? { id } : {}), files } : undefined;
}

/** The model card (README.md) of a local model folder, if it has one; undefined for anything else (e.g. a Hub id). */
export function readModelCard(dir: string): string | undefined {
  const readme = join(dir, 'README.md');
  return isDirectory(dir) && existsSync(readme) ? new TextDecoder().decode(readFile(readme)) : undefined;
}

/** A model folder's card (readModelCard) without its YAML front matter, and its "# title"; empty without a card. */
export function modelCardBody(dir: string): { body: string; title?: string } {
  const body = (readModelCard(dir) ?? '').replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
  const title = /^# +(.+?)\s*$/m.exec(body)?.[1]?.slice(0, 120);
  return title !== undefined ? { body, title } : { body };
}

/**
 * Writes a model folder (see transform/save.ts for the files) atomically: into a temporary folder beside `dir`, then
 * swapped in (runtime/node/atomic-write.ts). Entries of an existing folder that are not model files are kept.
 */
export function saveModel(
  model: StaticModel,
  dir: string,
  options: import('../../transform/save.js').SaveOptions = {},
): string[] {
  const files = modelFiles(model, options);
  const normalize =
    (options.normalize ?? model.normalize) && (options.layout ?? 'sentence-transformers') === 'sentence-transformers';
  writeFolderAtomic(
    dir,
    (folder) => {
      for (const [rel, bytes] of files) {
        makeFolder(dirname(join(folder, rel)));
        writeFileSync(join(folder, rel), bytes);
      }
      if (normalize) makeFolder(join(folder, '1_Normalize'));
    },
    { keep: (name) => !isModelFolderEntry(name) },
  );
  return [...files.keys()].map((rel) => join(dir, rel));
}
