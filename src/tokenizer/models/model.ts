/**
 * A tokenization model: one pre-tokenized word → ids, appended to `out`; with `spans`, also each token's
 * [start, end) in the word (UTF-16 units), two numbers per token.
 */
export interface TokenizerModel {
  readonly kind: 'WordPiece' | 'Unigram' | 'BPE' | 'WordLevel';
  tokenize(word: string, out: number[], spans?: number[]): void;
  tokenToId(token: string): number | undefined;
  /** Largest id + 1. */
  readonly vocabSize: number;
  /** The id of the unknown token, when the model has one. */
  readonly unkId: number | undefined;
  /** Every token string of the vocabulary. */
  tokens(): string[];
}

export function maxId(vocab: Map<string, number>): number {
  let m = -1;
  for (const id of vocab.values()) if (id > m) m = id;
  return m + 1;
}
