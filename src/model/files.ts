/** A model folder's files in memory, as a file source for the layout table (no filesystem). */
import { StaticEmbedError } from '../errors.js';
import { checkJsonDepth } from '../json-depth.js';
import type { FileSource } from '../formats/layouts.js';

/** Files of a model, by path relative to the model folder. */
export type ModelFiles = Map<string, Uint8Array> | Record<string, Uint8Array>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class BytesSource implements FileSource {
  private readonly files: Map<string, Uint8Array>;
  constructor(files: ModelFiles) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
  }
  has(path: string): boolean {
    return this.files.has(path);
  }
  bytes(path: string): Uint8Array {
    const b = this.files.get(path);
    if (!b) throw new StaticEmbedError('NOT_FOUND', `Model file ${path} is missing.`);
    return b;
  }
  readJson(path: string): unknown {
    return parseJsonFile(this.bytes(path), path);
  }
}

export function parseJsonFile(bytes: Uint8Array, path: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch (cause) {
    throw new StaticEmbedError('INVALID_MODEL', `${path} is not valid UTF-8 JSON: ${(cause as Error).message}.`, {
      cause,
    });
  }
  checkJsonDepth(value, path, 'INVALID_MODEL');
  return value;
}
