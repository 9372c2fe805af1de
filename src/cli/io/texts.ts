/** Reading all texts of an input file (for commands that need the whole set: search corpora, mining, clustering). */
import { StaticEmbedError } from '../../errors.js';
import { readTextBatches } from './input.js';

export async function readAllTexts(path: string | undefined, what: string): Promise<string[]> {
  const all: string[] = [];
  for await (const b of readTextBatches(path, 8192)) for (const t of b.texts) all.push(t);
  if (all.length === 0) throw new StaticEmbedError('INVALID_INPUT', `${what} ${path ?? 'stdin'} holds no texts.`);
  return all;
}

export function clip(s: string, n = 70): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > n ? flat.slice(0, n - 1) + '…' : flat;
}

export function numberArg(
  v: string | undefined,
  name: string,
  command: string,
  min = -Infinity,
  max = Infinity,
): number | undefined {
  if (v === undefined) return undefined;
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || x < min || x > max) {
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `static-embed ${command}: --${name} must be a number${min > -Infinity ? ` from ${min}` : ''}${max < Infinity ? ` to ${max}` : ''}, got ${JSON.stringify(v)}.`,
    );
  }
  return x;
}
