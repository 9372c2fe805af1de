import { StaticEmbedError, describe } from '../../errors.js';

/** A `{token: id}` object as parallel arrays, validated (Object.keys + lookups: the fast way for 100k keys). */
export interface VocabEntries {
  tokens: string[];
  ids: Uint32Array;
}

export function vocabEntries(vocab: unknown, model: string): VocabEntries {
  if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab)) {
    throw new StaticEmbedError(
      'INVALID_TOKENIZER',
      `${model} "model.vocab" must be an object {token: id}, got ${describe(vocab)}.`,
    );
  }
  const obj = vocab as Record<string, unknown>;
  const tokens = Object.keys(obj);
  const ids = new Uint32Array(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const id = obj[tokens[i]!];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0xfffffffe) {
      throw new StaticEmbedError(
        'INVALID_TOKENIZER',
        `${model} vocabulary entry ${JSON.stringify(tokens[i])} ` +
          `has id ${describe(id)}; expected an integer id >= 0.`,
      );
    }
    ids[i] = id;
  }
  return { tokens, ids };
}

export function entriesToMap(e: VocabEntries): Map<string, number> {
  const map = new Map<string, number>();
  for (let i = 0; i < e.tokens.length; i++) map.set(e.tokens[i]!, e.ids[i]!);
  return map;
}

/** A `{token: id}` object as a Map, validated. */
export function vocabMap(vocab: unknown, model: string): Map<string, number> {
  return entriesToMap(vocabEntries(vocab, model));
}

export function maxOf(ids: Uint32Array): number {
  let m = -1;
  for (let i = 0; i < ids.length; i++) if (ids[i]! > m) m = ids[i]!;
  return m;
}
