/** Special tokens around a single sequence, on request (static models encode without them). */
import { StaticEmbedError, describe, unsupported } from '../errors.js';
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
      return { prefix: [json.cls[1]], suffix: [json.sep[1]] };
    case 'RobertaProcessing':
      return { prefix: [json.cls[1]], suffix: [json.sep[1]], trimOffsets: trimOf(json) };
    case 'ByteLevel':
      return { prefix: [], suffix: [], trimOffsets: trimOf(json) };
    case 'TemplateProcessing': {
      const prefix: number[] = [],
        suffix: number[] = [];
      let seen = false;
      for (const piece of json.single) {
        if (piece.Sequence) {
          seen = true;
          continue;
        }
        const name = piece.SpecialToken?.id;
        const special = name === undefined ? undefined : json.special_tokens[name];
        if (!special)
          throw new StaticEmbedError(
            'INVALID_TOKENIZER',
            `TemplateProcessing refers to special token ${describe(name)} missing from "special_tokens".`,
          );
        (seen ? suffix : prefix).push(...special.ids);
      }
      return { prefix, suffix };
    }
    case 'Sequence': {
      const prefix: number[] = [],
        suffix: number[] = [];
      let trimOffsets: PostProcessor['trimOffsets'];
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
