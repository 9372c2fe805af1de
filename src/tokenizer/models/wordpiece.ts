/** WordPiece: greedy longest-match-first over code points, `##` continuation, whole word → [UNK] when stuck. */
import { StaticEmbedError } from '../../errors.js';
import type { WordPieceJson } from '../schema.js';
import type { TokenizerModel } from './model.js';
import { entriesToMap, maxOf, vocabEntries, type VocabEntries } from './vocab.js';

export class WordPiece implements TokenizerModel {
  readonly kind = 'WordPiece';
  private entriesCache: VocabEntries | undefined;
  private readonly lazyEntries: (() => VocabEntries) | undefined;
  private map: Map<string, number> | undefined;
  readonly unkId: number;
  readonly prefix: string;
  readonly maxInputCharsPerWord: number;
  readonly vocabSize: number;

  /**
   * `lazy`: the vocabulary was already scanned (ids known) and its entries are read only when needed (the
   * generic path); without it, `json.vocab` is read now.
   */
  constructor(
    json: WordPieceJson,
    lazy?: { entries: () => VocabEntries; unkId: number | undefined; vocabSize: number },
  ) {
    let unk: number | undefined;
    if (lazy) {
      this.lazyEntries = lazy.entries;
      unk = lazy.unkId;
      this.vocabSize = lazy.vocabSize;
    } else {
      this.entriesCache = vocabEntries(json.vocab, 'WordPiece');
      const v = (json.vocab as Record<string, number>)[json.unk_token];
      unk = typeof v === 'number' && Object.prototype.hasOwnProperty.call(json.vocab, json.unk_token) ? v : undefined;
      this.vocabSize = maxOf(this.entriesCache.ids) + 1;
    }
    if (unk === undefined) {
      throw new StaticEmbedError(
        'MISSING_TOKEN',
        `WordPiece unk_token ${JSON.stringify(json.unk_token)} is not ` +
          (`in the vocabulary; add it to ` + `"model.vocab" or fix "unk_token".`),
      );
    }
    this.unkId = unk;
    this.prefix = json.continuing_subword_prefix ?? '##';
    this.maxInputCharsPerWord = json.max_input_chars_per_word ?? 100;
  }

  get entries(): VocabEntries {
    this.entriesCache ??= this.lazyEntries!();
    return this.entriesCache;
  }

  /** token → id, built on first use (the BERT fast path does not need it). */
  get vocab(): Map<string, number> {
    this.map ??= entriesToMap(this.entries);
    return this.map;
  }

  tokens(): string[] {
    return this.entries.tokens;
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  tokenize(word: string, out: number[], spans?: number[]): void {
    // code point boundaries
    const bounds: number[] = [0];
    for (let i = 0; i < word.length;) {
      const cp = word.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      bounds.push(i);
    }
    const n = bounds.length - 1;
    if (n > this.maxInputCharsPerWord) {
      out.push(this.unkId);
      spans?.push(0, word.length);
      return;
    }
    const mark = out.length,
      spanMark = spans?.length ?? 0;
    let start = 0;
    while (start < n) {
      let end = n;
      let id: number | undefined;
      while (start < end) {
        const sub = word.slice(bounds[start]!, bounds[end]!);
        id = this.vocab.get(start > 0 ? this.prefix + sub : sub);
        if (id !== undefined) break;
        end--;
      }
      if (id === undefined) {
        out.length = mark;
        out.push(this.unkId);
        if (spans) {
          spans.length = spanMark;
          spans.push(0, word.length);
        }
        return;
      }
      out.push(id);
      spans?.push(bounds[start]!, bounds[end]!);
      start = end;
    }
  }
}
