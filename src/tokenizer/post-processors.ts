/** Special tokens around a single sequence, on request (static models encode without them). */
import { StaticEmbedError, describe, unsupported } from '../errors.js';
import { checkFields } from './fields.js';
import type { PostProcessorJson } from './schema.js';

export interface PostProcessor {
  /** ids to put before and after a single sequence */
  readonly prefix: readonly number[];
  readonly suffix: readonly number[];
  /** ByteLevel offset trimming (leading/trailing spaces left out of each token's offsets), when enabled. */
  readonly trimOffsets?: { addPrefixSpace: boolean } | undefined;
}

function trimOf(json: { trim_offsets?: boolean; add_prefix_space?: boolean }): PostProcessor['trimOffsets'] {
  return (json.trim_offsets ?? true) ? { addPrefixSpace: json.add_prefix_space ?? true } : undefined;
}

const SUPPORTED = ['BertProcessing', 'RobertaProcessing', 'TemplateProcessing', 'ByteLevel', 'Sequence'] as const;

export function createPostProcessor(json: PostProcessorJson): PostProcessor {
  if (typeof json !== 'object' || json === null)
    throw new StaticEmbedError(
      'INVALID_TOKENIZER',
      `tokenizer.json "post_processor" must be an object or null, got ${describe(json)}.`,
    );
  switch (json.type) {
    case 'BertProcessing':
    case 'RobertaProcessing': {
      const pair = (v: unknown): v is [string, number] =>
        Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && Number.isSafeInteger(v[1]) && v[1] >= 0;
      if (!pair(json.cls) || !pair(json.sep))
        throw new StaticEmbedError(
          'INVALID_TOKENIZER',
          `${json.type} needs "cls" and "sep" as [token, id] pairs, got ${describe(json.cls)} and ${describe(json.sep)}.`,
        );
      return json.type === 'RobertaProcessing'
        ? { prefix: [json.cls[1]], suffix: [json.sep[1]], trimOffsets: trimOf(json) }
        : { prefix: [json.cls[1]], suffix: [json.sep[1]] };
    }
    case 'ByteLevel':
      return { prefix: [], suffix: [], trimOffsets: trimOf(json) };
    case 'TemplateProcessing': {
      const prefix: number[] = [],
        suffix: number[] = [];
      let seen = false;
      checkFields(json, 'TemplateProcessing', { single: 'array', special_tokens: 'object' }, { required: ['single'] });
      const specials = (json.special_tokens ?? {}) as Record<string, unknown>;
      for (const piece of json.single) {
        checkFields({ piece }, 'TemplateProcessing "single"', { piece: 'object' });
        if (piece.Sequence) {
          seen = true;
          continue;
        }
        const name = piece.SpecialToken?.id;
        const special = typeof name === 'string' && Object.hasOwn(specials, name) ? specials[name] : undefined;
        if (!special)
          throw new StaticEmbedError(
            'INVALID_TOKENIZER',
            `TemplateProcessing refers to special token ${describe(name)} missing from "special_tokens".`,
          );
        const ids = (special as { ids?: unknown }).ids;
        if (!Array.isArray(ids) || !ids.every((i) => Number.isSafeInteger(i) && i >= 0))
          throw new StaticEmbedError(
            'INVALID_TOKENIZER',
            `TemplateProcessing special token ${describe(name)} needs "ids", an array of token ids, got ${describe(ids)}.`,
          );
        (seen ? suffix : prefix).push(...(ids as number[]));
      }
      return { prefix, suffix };
    }
    case 'Sequence': {
      const prefix: number[] = [],
        suffix: number[] = [];
      let trimOffsets: PostProcessor['trimOffsets'];
      checkFields(json, 'Sequence post-processor', { processors: 'array' }, { required: ['processors'] });
      for (const p of json.processors.map(createPostProcessor)) {
        prefix.unshift(...p.prefix);
        suffix.push(...p.suffix);
        trimOffsets ??= p.trimOffsets;
      }
      return { prefix, suffix, trimOffsets };
    }
    default:
      throw unsupported('post-processor', (json as { type?: unknown }).type, SUPPORTED);
  }
}
