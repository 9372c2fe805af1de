import { StaticEmbedError, describe, unsupported } from '../../errors.js';
import type { BpeJson, ModelJson, UnigramJson, WordLevelJson, WordPieceJson } from '../schema.js';
import type { TokenizerModel } from './model.js';
import { WordPiece } from './wordpiece.js';
import { Unigram } from './unigram.js';
import { Bpe } from './bpe.js';
import { WordLevel } from './wordlevel.js';

export type { TokenizerModel } from './model.js';
export { WordPiece, Unigram, Bpe, WordLevel };

const SUPPORTED = ['WordPiece', 'Unigram', 'BPE', 'WordLevel'] as const;

/** The older schema has no "type" in "model": infer it from the fields, in the reference's order. */
function legacyType(json: Record<string, unknown>): string {
  if ('merges' in json) return 'BPE';
  if (Array.isArray(json.vocab)) return 'Unigram';
  if ('continuing_subword_prefix' in json || 'max_input_chars_per_word' in json) return 'WordPiece';
  if ('unk_token' in json) return 'WordLevel';
  throw new StaticEmbedError(
    'INVALID_TOKENIZER',
    'tokenizer.json "model" has no "type" and its fields match ' +
      'no known model (WordPiece, Unigram, BPE, WordLevel).',
  );
}

/** `lazyWordPiece`: a WordPiece vocabulary already scanned from the text (see json-scan.ts). */
export function createModel(
  json: ModelJson,
  lazyWordPiece?: ConstructorParameters<typeof WordPiece>[1],
): TokenizerModel {
  if (typeof json !== 'object' || json === null)
    throw new StaticEmbedError(
      'INVALID_TOKENIZER',
      `tokenizer.json "model" must be an ` + `object, got ${describe(json)}.`,
    );
  const type = (json as { type?: unknown }).type ?? legacyType(json as unknown as Record<string, unknown>);
  switch (type) {
    case 'WordPiece':
      return new WordPiece(json as WordPieceJson, lazyWordPiece);
    case 'Unigram':
      return new Unigram(json as UnigramJson);
    case 'BPE':
      return new Bpe(json as BpeJson);
    case 'WordLevel':
      return new WordLevel(json as WordLevelJson);
    default:
      throw unsupported('model', type, SUPPORTED);
  }
}
