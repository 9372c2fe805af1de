/** "Did you mean" for a --model value that names nothing: the embedded model's names and the folders next to it. */
import { readdirSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { StaticEmbedError } from '../errors.js';
import { DEFAULT_MODEL_NAME, defaultModelId } from '../runtime/node/default-model.js';
import { closest } from './cli-errors.js';

/** Folder names in `dir` (hidden ones left out; at most 2,000 entries looked at), or none when it cannot be read. */
function foldersIn(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .slice(0, 2000)
      .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** The closest model name to `given`: the embedded model's names, or a folder in the working directory (or in the
 * folder `given` points into). */
export function suggestModel(given: string): string | undefined {
  const slash = given.replace(/\/+$/, '');
  const parent = dirname(slash);
  if (parent === '.') return closest(slash, [DEFAULT_MODEL_NAME, defaultModelId(), ...foldersIn('.')]);
  const guess = closest(basename(slash), foldersIn(parent));
  return guess === undefined ? undefined : join(parent, guess);
}

/** A NOT_FOUND error for a --model value, with a "did you mean" when a name is close; other errors as they are. */
export function withModelSuggestion(given: string, e: unknown): unknown {
  if (!(e instanceof StaticEmbedError) || e.code !== 'NOT_FOUND') return e;
  const guess = suggestModel(given);
  if (guess === undefined || guess === given) return e;
  return new StaticEmbedError('NOT_FOUND', `${e.message} Did you mean --model ${guess}?`, { cause: e });
}
