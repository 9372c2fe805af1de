/** The reference's component pipeline built from a tokenizer.json: normalizer, pre-tokenizer, model, added tokens. */
import { StaticEmbedError, describe } from '../errors.js';
import { checkJsonDepth } from '../json-depth.js';
import { AddedTokenMatcher } from './added-tokens.js';
import { createModel, type TokenizerModel } from './models/index.js';
import { createNormalizer, type Normalizer } from './normalizers.js';
import { createPostProcessor, type PostProcessor } from './post-processors.js';
import { createPreTokenizer, type PreTokenizer } from './pre-tokenizers.js';
import type { AddedTokenJson, TokenizerJson } from './schema.js';

export interface AddedPattern {
  pattern: string;
  token: AddedTokenJson;
}

export class Pipeline {
  readonly model: TokenizerModel;
  readonly normalizer: Normalizer | null;
  readonly preTokenizer: PreTokenizer | null;
  readonly postProcessor: PostProcessor | null;
  /** added tokens matched in the raw text (normalized: false) and in normalized pieces */
  readonly rawPatterns: AddedPattern[] = [];
  readonly normMatcher: AddedTokenMatcher | null;
  readonly addedIds = new Map<string, number>();

  constructor(json: TokenizerJson, lazyWordPiece?: Parameters<typeof createModel>[1]) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new StaticEmbedError('INVALID_TOKENIZER', `tokenizer.json must hold a JSON object, got ${describe(json)}.`);
    }
    if (json.model === undefined)
      throw new StaticEmbedError(
        'INVALID_TOKENIZER',
        'tokenizer.json has no "model": is this a Hugging Face tokenizer.json file?',
      );
    // components nest (Sequence in Sequence) and are built recursively: bound the depth first
    for (const key of ['normalizer', 'pre_tokenizer', 'post_processor', 'decoder'] as const)
      checkJsonDepth(json[key], `tokenizer.json "${key}"`, 'INVALID_TOKENIZER');
    this.model = createModel(json.model, lazyWordPiece);
    this.normalizer = json.normalizer ? createNormalizer(json.normalizer) : null;
    this.preTokenizer = json.pre_tokenizer ? createPreTokenizer(json.pre_tokenizer) : null;
    this.postProcessor = json.post_processor ? createPostProcessor(json.post_processor) : null;
    const added = json.added_tokens ?? [];
    if (!Array.isArray(added))
      throw new StaticEmbedError(
        'INVALID_TOKENIZER',
        `tokenizer.json "added_tokens" must be an array, got ${describe(added)}.`,
      );
    const norm: AddedPattern[] = [];
    for (const t of added) {
      if (typeof t?.content !== 'string' || typeof t.id !== 'number') {
        throw new StaticEmbedError(
          'INVALID_TOKENIZER',
          `tokenizer.json added token ${describe(t)} needs a string "content" and a number "id".`,
        );
      }
      this.addedIds.set(t.content, t.id);
      const normalized = t.normalized ?? !t.special;
      if (normalized)
        norm.push({ pattern: this.normalizer ? this.normalizer.normalize(t.content) : t.content, token: t });
      else this.rawPatterns.push({ pattern: t.content, token: t });
    }
    this.normMatcher = norm.length ? new AddedTokenMatcher(norm) : null;
  }

  get vocabSize(): number {
    let n = this.model.vocabSize;
    for (const id of this.addedIds.values()) if (id + 1 > n) n = id + 1;
    return n;
  }
}
