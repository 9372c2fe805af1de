import { StaticEmbedError, describe } from '../../errors.js';

/** A `{token: id}` object as a Map, validated. */
export function vocabMap(vocab: unknown, model: string): Map<string, number> {
  if (typeof vocab !== 'object' || vocab === null || Array.isArray(vocab)) {
    throw new StaticEmbedError('INVALID_TOKENIZER', `${model} "model.vocab" must be an object {token: id}, got ${describe(vocab)}.`);
  }
  const map = new Map<string, number>();
  for (const [token, id] of Object.entries(vocab as Record<string, unknown>)) {
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0xfffffffe) {
      throw new StaticEmbedError('INVALID_TOKENIZER', `${model} vocabulary entry ${JSON.stringify(token)} has id ${describe(id)}; expected an integer id >= 0.`);
    }
    map.set(token, id);
  }
  return map;
}
