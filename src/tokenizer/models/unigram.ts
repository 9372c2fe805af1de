/** Unigram: Viterbi best path over the vocabulary's log-probabilities (the reference's optimized encoder). */
import { StaticEmbedError, describe } from '../../errors.js';
import type { UnigramJson } from '../schema.js';
import type { TokenizerModel } from './model.js';
import { byteFallbackIds } from './byte-fallback.js';

const UNK_PENALTY = 10;

export class Unigram implements TokenizerModel {
  readonly kind = 'Unigram';
  readonly vocabSize: number;
  private readonly ids = new Map<string, number>();
  private readonly scores: Float64Array;
  readonly unkId: number | undefined;
  private readonly pieces: string[];
  private readonly byteFallback: boolean;
  private readonly minScore: number;
  private readonly maxPieceChars: number;

  constructor(json: UnigramJson) {
    if (!Array.isArray(json.vocab))
      throw new StaticEmbedError(
        'INVALID_TOKENIZER',
        `Unigram "model.vocab" must be an array of ` + `[piece, score], got ${describe(json.vocab)}.`,
      );
    this.scores = new Float64Array(json.vocab.length);
    let min = Infinity,
      maxChars = 1;
    json.vocab.forEach((entry, id) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') {
        throw new StaticEmbedError(
          'INVALID_TOKENIZER',
          `Unigram vocabulary entry ${id} must be [piece, score], got ${describe(entry)}.`,
        );
      }
      this.ids.set(entry[0], id);
      this.scores[id] = entry[1];
      if (entry[1] < min) min = entry[1];
      const chars = [...entry[0]].length;
      if (chars > maxChars) maxChars = chars;
    });
    this.minScore = min;
    this.maxPieceChars = maxChars;
    this.unkId = json.unk_id ?? undefined;
    this.pieces = json.vocab.map((e) => e[0]);
    if (this.unkId !== undefined && (this.unkId < 0 || this.unkId >= json.vocab.length)) {
      throw new StaticEmbedError(
        'INVALID_TOKENIZER',
        `Unigram unk_id ${this.unkId} is outside the vocabulary (size ${json.vocab.length}).`,
      );
    }
    this.byteFallback = json.byte_fallback ?? false;
    this.vocabSize = json.vocab.length;
  }

  tokens(): string[] {
    return this.pieces;
  }

  tokenToId(token: string): number | undefined {
    return this.ids.get(token);
  }

  tokenize(word: string, out: number[], spans?: number[]): void {
    const bounds: number[] = [0];
    for (let i = 0; i < word.length;) {
      i += word.codePointAt(i)! > 0xffff ? 2 : 1;
      bounds.push(i);
    }
    const n = bounds.length - 1;
    if (n === 0) return;
    const score = new Float64Array(n + 1);
    const from = new Int32Array(n + 1).fill(-1);
    const node = new Int32Array(n + 1);
    const unkScore = this.minScore - UNK_PENALTY;
    for (let s = 0; s < n; s++) {
      if (s > 0 && from[s] === -1) continue; // unreachable (cannot happen: every char is covered)
      const base = score[s]!;
      let single = false;
      const lim = Math.min(n, s + this.maxPieceChars);
      for (let e = s + 1; e <= lim; e++) {
        const id = this.ids.get(word.slice(bounds[s]!, bounds[e]!));
        if (id === undefined) continue;
        const cand = this.scores[id]! + base;
        if (from[e] === -1 || cand > score[e]!) {
          score[e] = cand;
          from[e] = s;
          node[e] = id;
        }
        if (e === s + 1) single = true;
      }
      if (!single) {
        if (this.unkId === undefined)
          throw new StaticEmbedError(
            'MISSING_TOKEN',
            'Unigram model met a character not in its vocabulary ' +
              'and has no unk_id; set "unk_id" in tokenizer.json.',
          );
        const cand = unkScore + base;
        if (from[s + 1] === -1 || cand > score[s + 1]!) {
          score[s + 1] = cand;
          from[s + 1] = s;
          node[s + 1] = this.unkId;
        }
      }
    }
    // backtrack, fusing consecutive unknowns (fuse_unk is always on for Unigram); pieces as [start, end) pairs
    const pieces: number[] = [];
    let unkEnd = -1;
    for (let e = n; e > 0;) {
      const s = from[e]!;
      if (node[e] === this.unkId) {
        if (unkEnd === -1) unkEnd = e;
      } else {
        if (unkEnd !== -1) {
          pieces.push(bounds[e]!, bounds[unkEnd]!);
          unkEnd = -1;
        }
        pieces.push(bounds[s]!, bounds[e]!);
      }
      e = s;
    }
    if (unkEnd !== -1) pieces.push(0, bounds[unkEnd]!);
    for (let i = pieces.length - 2; i >= 0; i -= 2) this.emit(word, pieces[i]!, pieces[i + 1]!, out, spans);
  }

  /** One piece's id (or its byte-fallback ids, or unk), each spanning the whole piece. */
  private emit(word: string, a: number, b: number, out: number[], spans: number[] | undefined): void {
    const piece = word.slice(a, b);
    const id = this.ids.get(piece);
    if (id !== undefined) {
      out.push(id);
      spans?.push(a, b);
      return;
    }
    const bytes = this.byteFallback ? byteFallbackIds(piece, (t) => this.ids.get(t)) : undefined;
    if (!bytes && this.unkId === undefined)
      throw new StaticEmbedError(
        'MISSING_TOKEN',
        'Unigram model has no unk_id for an unknown ' + 'piece; set "unk_id" in tokenizer.json.',
      );
    for (const x of bytes ?? [this.unkId!]) {
      out.push(x);
      spans?.push(a, b);
    }
  }
}
