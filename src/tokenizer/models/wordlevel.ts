/** WordLevel: the whole word is one token, or [UNK]. */
import { StaticEmbedError } from '../../errors.js';
import type { WordLevelJson } from '../schema.js';
import { maxId, type TokenizerModel } from './model.js';
import { vocabMap } from './vocab.js';

export class WordLevel implements TokenizerModel {
  readonly kind = 'WordLevel';
  readonly vocab: Map<string, number>;
  readonly vocabSize: number;
  readonly unkId: number | undefined;
  constructor(json: WordLevelJson) {
    this.vocab = vocabMap(json.vocab, 'WordLevel');
    this.vocabSize = maxId(this.vocab);
    this.unkId = this.vocab.get(json.unk_token);
  }
  tokens(): string[] {
    return [...this.vocab.keys()];
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }
  tokenize(word: string, out: number[], spans?: number[]): void {
    const id = this.vocab.get(word) ?? this.unkId;
    if (id === undefined)
      throw new StaticEmbedError(
        'MISSING_TOKEN',
        `WordLevel: ${JSON.stringify(word)} is not in the ` + `vocabulary and the unk_token is missing from it.`,
      );
    out.push(id);
    spans?.push(0, word.length);
  }
}
