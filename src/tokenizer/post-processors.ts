/** Special tokens around a single sequence, on request (static models encode without them). */
import { StaticEmbedError, describe, unsupported } from '../errors.js';
import type { PostProcessorJson } from './schema.js';

export interface PostProcessor {
  /** ids to put before and after a single sequence */
  readonly prefix: readonly number[];
  readonly suffix: readonly number[];
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
    case 'RobertaProcessing':
      return { prefix: [json.cls[1]], suffix: [json.sep[1]] };
    case 'ByteLevel':
      return { prefix: [], suffix: [] };
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
      for (const p of json.processors.map(createPostProcessor)) {
        prefix.unshift(...p.prefix);
        suffix.push(...p.suffix);
      }
      return { prefix, suffix };
    }
    default:
      throw unsupported('post-processor', (json as { type?: unknown }).type, SUPPORTED);
  }
}
