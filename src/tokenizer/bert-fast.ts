/**
 * The fast path for BERT-family tokenizers: one pass, nothing allocated per token or per word.
 * See ARCHITECTURE.md, "Tokenizer fidelity".
 */
import { CodeUnitTable, HASH_SEED, hashStep, hashUnits, type CodeUnitTableShared } from './code-unit-table.js';
import type { IdBuffer } from './id-buffer.js';
import { scanVocab, type VocabSpan } from './json-scan.js';
import type { WordPiece } from './models/wordpiece.js';
import { bertNormalizeCodePoints, type BertNormalizerOptions } from './normalizers.js';
import { Flag, flagsOf, hasReorderableSurvivor } from './unicode.js';

// entry kinds (low 3 bits); payload in the rest
const UNSET = 0,
  WORD = 1,
  SPACE = 2,
  REMOVED = 3,
  ISOLATED = 4,
  COMPLEX = 5,
  SLOW = 6;
const CACHE_MAX_WORDS = 60_000;
const CACHE_MAX_IDS = 750_000;

/** The tables of a fast path, in SharedArrayBuffers: what a worker thread needs to tokenize. */
export interface FastPathShared {
  normalizer: BertNormalizerOptions | null;
  init: CodeUnitTableShared;
  cont: CodeUnitTableShared;
  initMax: number;
  contMax: number;
  /** the continuation prefix ("##"): tokens that begin with it are keys of `cont` only, without it */
  prefix: string;
  unkId: number;
  maxChars: number;
  /** vocabulary tokens of each length in code points (model2vec's median token length) */
  lengthCounts?: Uint32Array;
}

function codePointLength(t: string, a: number, b: number): number {
  let n = b - a;
  for (let i = a; i < b; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--;
  }
  return n;
}

export class BertFastPath {
  private readonly bmp = new Int32Array(65536);
  private readonly astral = new Map<number, number>();
  private readonly complex: Int32Array[] = [];
  private readonly words = new CodeUnitTable(1 << 14);
  private wordIds = new Uint32Array(1 << 16);
  private wordIdsUsed = 0;
  private word: Uint16Array = new Uint16Array(256);
  private readonly hashes = new Int32Array(4096);
  /** hashes of a word's pieces after its prefix, when the word itself begins with the prefix (see wordPiece) */
  private readonly afterPrefix = new Int32Array(4096);
  private readonly pieces: number[] = [];

  private counts: Uint32Array | undefined;
  private countLengths: (() => Uint32Array) | undefined;

  /** How many vocabulary tokens have each length in code points (for model2vec's median token length). */
  get lengthCounts(): Uint32Array {
    this.counts ??= this.countLengths?.() ?? new Uint32Array(0);
    return this.counts;
  }
  set lengthCounts(c: Uint32Array) {
    this.counts = c;
  }

  private constructor(
    private readonly normalizer: BertNormalizerOptions | null,
    private readonly init: CodeUnitTable,
    private readonly cont: CodeUnitTable,
    private readonly initMax: number,
    private readonly contMax: number,
    private readonly prefix: string,
    private readonly unkId: number,
    private readonly maxChars: number,
  ) {
    for (let c = 0; c < 128; c++) this.bmp[c] = this.compute(c);
  }

  static build(normalizer: BertNormalizerOptions | null, model: WordPiece): BertFastPath {
    const { tokens, ids } = model.entries;
    const prefix = model.prefix;
    const continues = (t: string) => prefix.length > 0 && t.length > prefix.length && t.startsWith(prefix);
    let conts = 0;
    for (const t of tokens) if (continues(t)) conts++;
    const init = new CodeUnitTable(tokens.length - conts);
    const cont = new CodeUnitTable(conts);
    let initMax = 0,
      contMax = 0;
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      // a continuation token is a key of `cont` alone: see wordPiece for a word that begins with the prefix
      if (continues(token)) {
        cont.setRange(token, prefix.length, token.length, ids[i]!);
        contMax = Math.max(contMax, token.length - prefix.length);
      } else {
        init.setRange(token, 0, token.length, ids[i]!);
        initMax = Math.max(initMax, token.length);
      }
    }
    const { unkId, maxInputCharsPerWord } = model;
    const fast = new BertFastPath(normalizer, init, cont, initMax, contMax, prefix, unkId, maxInputCharsPerWord);
    fast.lengthCounts = new Uint32Array(1025);
    for (const t of tokens) fast.lengthCounts[Math.min(1024, codePointLength(t, 0, t.length))]!++;
    return fast;
  }

  /**
   * Built straight from the text of a tokenizer.json (the vocab object at `span`), without materialising the
   * vocabulary as JavaScript strings. Returns the unk id and largest id as well.
   */
  static buildFromText(
    normalizer: BertNormalizerOptions | null,
    text: string,
    span: VocabSpan,
    prefix: string,
    unkToken: string,
    maxChars: number,
  ): { fast: BertFastPath; unkId: number | undefined; maxId: number } {
    // about one token per 16 characters of JSON, a third of them continuations (the tables grow if need be)
    const estimate = Math.max(1024, (span.end - span.start) >> 4);
    const init = new CodeUnitTable((estimate * 2) / 3);
    const cont = new CodeUnitTable(estimate / 3);
    let initMax = 0,
      contMax = 0,
      unkId: number | undefined,
      maxId = -1;
    const pl = prefix.length;
    const lengths = new Uint32Array(1025);
    scanVocab(text, span, (t, a, b, id) => {
      lengths[Math.min(1024, codePointLength(t, a, b))]!++;
      if (pl > 0 && b - a > pl && t.startsWith(prefix, a)) {
        cont.setRange(t, a + pl, b, id);
        if (b - a - pl > contMax) contMax = b - a - pl;
      } else {
        init.setRange(t, a, b, id);
        if (b - a > initMax) initMax = b - a;
      }
      if (b - a === unkToken.length && t.startsWith(unkToken, a)) unkId = id;
      if (id > maxId) maxId = id;
    });
    const fast = new BertFastPath(normalizer, init, cont, initMax, contMax, prefix, unkId ?? 0, maxChars);
    fast.lengthCounts = lengths;
    return { fast, unkId, maxId };
  }

  static fromShared(s: FastPathShared): BertFastPath {
    const fast = new BertFastPath(
      s.normalizer,
      CodeUnitTable.fromShared(s.init),
      CodeUnitTable.fromShared(s.cont),
      s.initMax,
      s.contMax,
      s.prefix,
      s.unkId,
      s.maxChars,
    );
    if (s.lengthCounts) fast.lengthCounts = s.lengthCounts;
    return fast;
  }

  /** Moves the vocabulary tables into SharedArrayBuffers now, so that sharing them later copies nothing. */
  share(): void {
    this.init.share();
    this.cont.share();
  }

  toShared(): FastPathShared {
    this.share();
    return {
      normalizer: this.normalizer,
      init: this.init.toShared(),
      cont: this.cont.toShared(),
      initMax: this.initMax,
      contMax: this.contMax,
      prefix: this.prefix,
      unkId: this.unkId,
      maxChars: this.maxChars,
      lengthCounts: this.lengthCounts,
    };
  }

  /** Per-code-point entry: what the normalizer and pre-tokenizer make of this code point. */
  private compute(cp: number): number {
    if (this.normalizer?.stripAccents && hasReorderableSurvivor(cp)) return SLOW;
    const out = this.normalizer ? bertNormalizeCodePoints([cp], this.normalizer) : [cp];
    if (out.length === 0) return REMOVED;
    const cls = (c: number) => (flagsOf(c) & Flag.Whitespace ? SPACE : flagsOf(c) & Flag.Punct ? ISOLATED : WORD);
    if (out.length === 1) {
      const c = out[0]!,
        k = cls(c);
      if (k === SPACE) return SPACE;
      if (k === ISOLATED || c <= 0xffff) return (c << 3) | k;
    }
    // Chinese characters come out as ' c ': a one-character word
    if (out.length === 3 && cls(out[0]!) === SPACE && cls(out[2]!) === SPACE && cls(out[1]!) !== SPACE) {
      return (out[1]! << 3) | ISOLATED;
    }
    const pairs = new Int32Array(out.length * 2);
    out.forEach((c, i) => {
      pairs[2 * i] = c;
      pairs[2 * i + 1] = cls(c);
    });
    this.complex.push(pairs);
    return ((this.complex.length - 1) << 3) | COMPLEX;
  }

  /**
   * Appends the ids of text[start, end) to `sink`. Returns false (and appends nothing) when the text needs
   * the generic path (canonical reordering of marks that survive accent stripping).
   */
  // eslint-disable-next-line max-lines-per-function -- the tokenizer's per-character hot loop reads (and runs) best whole
  encode(text: string, start: number, end: number, sink: IdBuffer): boolean {
    const mark = sink.length;
    const bmp = this.bmp;
    let word = this.word;
    let len = 0,
      h = HASH_SEED;
    for (let i = start; i < end; i++) {
      let c = text.charCodeAt(i);
      let e: number;
      if (c < 0xd800 || c > 0xdfff) {
        e = bmp[c]!;
        if (e === UNSET) e = bmp[c] = this.compute(c);
      } else {
        if (c <= 0xdbff && i + 1 < end) {
          const d = text.charCodeAt(i + 1);
          if (d >= 0xdc00 && d <= 0xdfff) {
            c = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
            i++;
          } else c = 0xfffd;
        } else c = 0xfffd;
        let a = this.astral.get(c);
        if (a === undefined) {
          a = this.compute(c);
          this.astral.set(c, a);
        }
        e = a;
      }
      switch (e & 7) {
        case WORD:
          if (len + 2 > word.length) word = this.growWord(len);
          word[len++] = e >>> 3;
          h = hashStep(h, e >>> 3);
          break;
        case SPACE:
          if (len > 0) {
            this.emit(len, h, sink);
            len = 0;
            h = HASH_SEED;
          }
          break;
        case REMOVED:
          break;
        case ISOLATED:
          if (len > 0) {
            this.emit(len, h, sink);
            len = 0;
            h = HASH_SEED;
          }
          this.emitChar(e >>> 3, sink);
          break;
        case COMPLEX: {
          const pairs = this.complex[e >>> 3]!;
          for (let k = 0; k < pairs.length; k += 2) {
            const cp = pairs[k]!,
              kind = pairs[k + 1]!;
            if (kind === WORD) {
              if (len + 2 > word.length) word = this.growWord(len);
              if (cp > 0xffff) {
                const hi = 0xd800 + ((cp - 0x10000) >> 10),
                  lo = 0xdc00 + ((cp - 0x10000) & 0x3ff);
                word[len++] = hi;
                word[len++] = lo;
                h = hashStep(hashStep(h, hi), lo);
              } else {
                word[len++] = cp;
                h = hashStep(h, cp);
              }
            } else {
              if (len > 0) {
                this.emit(len, h, sink);
                len = 0;
                h = HASH_SEED;
              }
              if (kind === ISOLATED) this.emitChar(cp, sink);
            }
          }
          break;
        }
        default: // SLOW
          sink.length = mark;
          return false;
      }
    }
    if (len > 0) this.emit(len, h, sink);
    return true;
  }

  /** Whether a string is a vocabulary token. */
  has(token: string): boolean {
    const buf = new Uint16Array(token.length);
    let h = HASH_SEED;
    for (let i = 0; i < token.length; i++) {
      buf[i] = token.charCodeAt(i);
      h = hashStep(h, buf[i]!);
    }
    const pl = this.prefix.length;
    if (pl > 0 && token.length > pl && token.startsWith(this.prefix))
      return this.cont.get(buf, pl, token.length, hashUnits(buf, pl, token.length)) >= 0;
    return this.init.get(buf, 0, token.length, h) >= 0;
  }

  /** Appends the WordPiece ids of one pre-tokenized word (the generic path's model step, through the cache). */
  emitWordString(w: string, sink: IdBuffer): void {
    if (w.length === 0) return;
    if (w.length + 2 > this.word.length) this.growWord(0);
    while (w.length > this.word.length) this.growWord(0);
    const word = this.word;
    let h = HASH_SEED;
    for (let i = 0; i < w.length; i++) {
      const c = w.charCodeAt(i);
      word[i] = c;
      h = hashStep(h, c);
    }
    this.emit(w.length, h, sink);
  }

  private growWord(len: number): Uint16Array {
    const w = new Uint16Array(this.word.length * 2);
    w.set(this.word.subarray(0, len));
    this.word = w;
    return w;
  }

  private emitChar(cp: number, sink: IdBuffer): void {
    const word = this.word;
    let h = HASH_SEED,
      len = 0;
    if (cp > 0xffff) {
      word[len++] = 0xd800 + ((cp - 0x10000) >> 10);
      word[len++] = 0xdc00 + ((cp - 0x10000) & 0x3ff);
    } else word[len++] = cp;
    for (let i = 0; i < len; i++) h = hashStep(h, word[i]!);
    this.emit(len, h, sink);
  }

  /** ids of word[0, len) (hash h) from the cache, or by WordPiece then cached. */
  private emit(len: number, h: number, sink: IdBuffer): void {
    const at = this.words.get(this.word, 0, len, h);
    if (at >= 0) {
      const ids = this.wordIds;
      const n = ids[at]!;
      if (n === 1) sink.push(ids[at + 1]!);
      else sink.pushAll(ids, at + 1, at + 1 + n);
      return;
    }
    const pieces = this.pieces;
    pieces.length = 0;
    this.wordPiece(len, pieces);
    if (this.words.size >= CACHE_MAX_WORDS || this.wordIdsUsed + pieces.length + 1 > CACHE_MAX_IDS) {
      this.words.clear();
      this.wordIdsUsed = 0;
    }
    if (this.wordIdsUsed + pieces.length + 1 > this.wordIds.length) {
      const w = new Uint32Array(Math.max(this.wordIds.length * 2, this.wordIdsUsed + pieces.length + 1));
      w.set(this.wordIds.subarray(0, this.wordIdsUsed));
      this.wordIds = w;
    }
    const at2 = this.wordIdsUsed;
    this.wordIds[at2] = pieces.length;
    for (let i = 0; i < pieces.length; i++) this.wordIds[at2 + 1 + i] = pieces[i]!;
    this.wordIdsUsed += pieces.length + 1;
    this.words.insert(this.word, 0, len, h, at2);
    sink.pushAll(pieces);
  }

  /** The prefix's length when word[0, len) begins with the prefix and is longer, else 0. */
  private leadingPrefix(len: number): number {
    const p = this.prefix;
    if (p.length === 0 || len <= p.length) return 0;
    for (let i = 0; i < p.length; i++) if (this.word[i] !== p.charCodeAt(i)) return 0;
    return p.length;
  }

  /** Greedy longest-match-first WordPiece over word[0, len), on code point boundaries. */
  private wordPiece(len: number, out: number[]): void {
    const w = this.word;
    let chars = len;
    for (let i = 0; i < len; i++) if (w[i]! >= 0xdc00 && w[i]! <= 0xdfff) chars--;
    if (chars > this.maxChars) {
      out.push(this.unkId);
      return;
    }
    const hs = this.hashes;
    // a word that begins with the prefix: its first piece, when longer than the prefix, is a continuation token
    // (whole, as "##ab"), which only `cont` holds (as "ab")
    const pl = this.leadingPrefix(len);
    const ps = this.afterPrefix;
    let start = 0;
    while (start < len) {
      const table = start === 0 ? this.init : this.cont;
      const longest = start > 0 ? this.contMax : pl > 0 ? Math.max(this.initMax, pl + this.contMax) : this.initMax;
      const maxEnd = Math.min(len, start + longest, start + hs.length - 1);
      let h = HASH_SEED;
      for (let e = start; e < maxEnd; e++) {
        h = hashStep(h, w[e]!);
        hs[e + 1 - start] = h;
      }
      if (start === 0 && pl > 0) {
        h = HASH_SEED;
        for (let e = pl; e < maxEnd; e++) ps[e + 1 - pl] = h = hashStep(h, w[e]!);
      }
      let found = -1,
        end = maxEnd;
      for (; end > start; end--) {
        if (end < len && w[end]! >= 0xdc00 && w[end]! <= 0xdfff && w[end - 1]! >= 0xd800 && w[end - 1]! <= 0xdbff)
          continue;
        found =
          start === 0 && pl > 0 && end > pl
            ? this.cont.get(w, pl, end, ps[end - pl]!)
            : table.get(w, start, end, hs[end - start]!);
        if (found >= 0) break;
      }
      if (found < 0) {
        out.length = 0;
        out.push(this.unkId);
        return;
      }
      out.push(found);
      start = end;
    }
  }
}
