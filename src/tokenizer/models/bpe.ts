/** BPE: merges applied lowest rank first (leftmost on ties), with unk fusing, byte fallback and ignore_merges. */
import { StaticEmbedError, describe } from '../../errors.js';
import type { BpeJson } from '../schema.js';
import { maxId, type TokenizerModel } from './model.js';
import { vocabMap } from './vocab.js';
import { byteFallbackIds } from './byte-fallback.js';

export class Bpe implements TokenizerModel {
  readonly kind = 'BPE';
  readonly vocab: Map<string, number>;
  readonly vocabSize: number;
  /** "a b" ids → rank * 2^32 + new id packed as [rank, newId] */
  private readonly merges = new Map<number, [number, number]>();
  readonly unkId: number | undefined;
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly fuseUnk: boolean;
  private readonly byteFallback: boolean;
  private readonly ignoreMerges: boolean;
  private readonly cache = new Map<string, number[]>();

  constructor(json: BpeJson) {
    this.vocab = vocabMap(json.vocab, 'BPE');
    this.vocabSize = maxId(this.vocab);
    if (!Array.isArray(json.merges))
      throw new StaticEmbedError(
        'INVALID_TOKENIZER',
        `BPE "model.merges" must be an array, got ${describe(json.merges)}.`,
      );
    this.prefix = json.continuing_subword_prefix ?? '';
    this.suffix = json.end_of_word_suffix ?? '';
    this.fuseUnk = json.fuse_unk ?? false;
    this.byteFallback = json.byte_fallback ?? false;
    this.ignoreMerges = json.ignore_merges ?? false;
    if (json.unk_token !== undefined && json.unk_token !== null) {
      this.unkId = this.vocab.get(json.unk_token);
    }
    json.merges.forEach((m, rank) => {
      let a: string | undefined, b: string | undefined;
      if (typeof m === 'string') {
        const sp = m.indexOf(' ');
        if (sp > 0) {
          a = m.slice(0, sp);
          b = m.slice(sp + 1);
        }
      } else if (Array.isArray(m) && m.length === 2) [a, b] = m;
      if (a === undefined || b === undefined)
        throw new StaticEmbedError(
          'INVALID_TOKENIZER',
          `BPE merge ${rank} must be "a b" or ` + `["a", "b"], got ${describe(m)}.`,
        );
      const ai = this.vocab.get(a),
        bi = this.vocab.get(b);
      const merged = a + (this.prefix && b.startsWith(this.prefix) ? b.slice(this.prefix.length) : b);
      const ni = this.vocab.get(merged);
      if (ai === undefined || bi === undefined || ni === undefined) {
        throw new StaticEmbedError(
          'INVALID_TOKENIZER',
          `BPE merge ${rank} (${JSON.stringify(a)}, ` +
            `${JSON.stringify(b)}) ` +
            `uses a token missing from the vocabulary.`,
        );
      }
      this.merges.set(ai * 0x100000000 + bi, [rank, ni]);
    });
  }

  tokens(): string[] {
    return [...this.vocab.keys()];
  }

  tokenToId(token: string): number | undefined {
    return this.vocab.get(token);
  }

  tokenize(word: string, out: number[], spans?: number[]): void {
    if (word.length === 0) return;
    if (this.ignoreMerges) {
      const id = this.vocab.get(word);
      if (id !== undefined) {
        out.push(id);
        spans?.push(0, word.length);
        return;
      }
    }
    if (spans) {
      const starts: number[] = [],
        ends: number[] = [];
      const ids = this.merge(this.symbols(word, starts, ends), starts, ends);
      for (let i = 0; i < ids.length; i++) {
        out.push(ids[i]!);
        spans.push(starts[i]!, ends[i]!);
      }
      return;
    }
    let ids = this.cache.get(word);
    if (!ids) {
      ids = this.merge(this.symbols(word));
      if (this.cache.size > 100_000) this.cache.clear();
      this.cache.set(word, ids);
    }
    for (const id of ids) out.push(id);
  }

  /** The word's symbols before merging; with starts/ends, each symbol's span in the word. */
  private symbols(word: string, starts?: number[], ends?: number[]): number[] {
    const chars = [...word];
    const syms: number[] = [];
    let unk = false; // a pending unk to fuse into
    let at = 0;
    chars.forEach((ch, i) => {
      const a = at;
      at += ch.length;
      const span = (n: number): void => {
        for (let k = 0; k < n; k++) {
          starts?.push(a);
          ends?.push(at);
        }
      };
      let s = ch;
      if (i > 0 && this.prefix) s = this.prefix + s;
      if (i === chars.length - 1 && this.suffix) s = s + this.suffix;
      const id = this.vocab.get(s);
      if (id !== undefined) {
        syms.push(id);
        span(1);
        unk = false;
        return;
      }
      const bytes = this.byteFallback ? byteFallbackIds(s, (t) => this.vocab.get(t)) : undefined;
      if (bytes) {
        syms.push(...bytes);
        span(bytes.length);
        return;
      }
      if (this.unkId !== undefined) {
        if (!(unk && this.fuseUnk)) {
          syms.push(this.unkId);
          span(1);
        } else if (ends) ends[ends.length - 1] = at;
        unk = true;
      }
    });
    return syms;
  }

  private merge(syms: number[], starts?: number[], ends?: number[]): number[] {
    while (syms.length > 1) {
      let best = -1,
        bestRank = Infinity,
        bestId = 0;
      for (let i = 0; i + 1 < syms.length; i++) {
        const m = this.merges.get(syms[i]! * 0x100000000 + syms[i + 1]!);
        if (m && m[0] < bestRank) {
          bestRank = m[0];
          best = i;
          bestId = m[1];
        }
      }
      if (best < 0) break;
      syms.splice(best, 2, bestId);
      if (starts && ends) {
        starts.splice(best + 1, 1);
        ends.splice(best, 1);
      }
    }
    return syms;
  }
}
