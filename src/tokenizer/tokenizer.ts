/**
 * A Hugging Face `tokenizer.json` loaded for ids only: text → Uint32Array of ids.
 * See ARCHITECTURE.md, "Tokenizer fidelity".
 */
import { StaticEmbedError, describe } from '../errors.js';
import { isShared, shareableBytes } from '../kernels/shareable.js';
import { AddedTokenMatcher, type Piece } from './added-tokens.js';
import { BertFastPath, type FastPathShared } from './bert-fast.js';
import { IdBuffer } from './id-buffer.js';
import { WordPiece, type TokenizerModel } from './models/index.js';
import { isBertNormalizer, type Normalizer } from './normalizers.js';
import { isBertPreTokenizer, type PreTokenizer } from './pre-tokenizers.js';
import { Pipeline, type AddedPattern } from './pipeline.js';
import { encodeAligned, type TokenSpans } from './offsets.js';
import type { TokenizerJson, WordPieceJson } from './schema.js';
import { findModelVocab, type VocabSpan } from './json-scan.js';
import { vocabEntries, type VocabEntries } from './models/vocab.js';
import { bertNormalizerOptions, type BertNormalizerOptions } from './normalizers.js';
import { adoptCharFlags, charFlags, type CharFlagTable } from './unicode.js';
import { readVocabTable } from './vocab-table.js';

export interface TokenizeOptions {
  /** Add the post-processor's special tokens ([CLS] … [SEP]). Default false: static models encode without them. */
  addSpecialTokens?: boolean;
}

export type { TokenSpans } from './offsets.js';

export interface EncodedBatch {
  /** All ids of the batch, text after text. */
  ids: Uint32Array;
  /** n + 1 offsets: the ids of text i are ids[offsets[i], offsets[i + 1]). */
  offsets: Uint32Array;
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/** What worker threads need to rebuild a tokenizer cheaply: shared fast-path tables, the JSON for the rest. */
export interface TokenizerShared {
  json: Uint8Array;
  fast: FastPathShared | null;
  rawPatterns: AddedPattern[];
  vocabSize: number;
  unkId: number | undefined;
  modelKind: TokenizerModel['kind'];
  special: { prefix: number[]; suffix: number[] } | null;
  /** the character-class table (shared, decoded once) */
  flags: CharFlagTable;
}

/** UTF-8 text of bytes; a SharedArrayBuffer view (which TextDecoder refuses in browsers) is copied first. */
function utf8(b: Uint8Array): string {
  return decoder.decode(isShared(b) ? b.slice() : b);
}

function decodeUtf8(b: Uint8Array | ArrayBuffer): string {
  try {
    return b instanceof ArrayBuffer ? decoder.decode(b) : utf8(b);
  } catch (cause) {
    throw new StaticEmbedError('INVALID_JSON', 'tokenizer.json is not valid UTF-8.', { cause });
  }
}

/** The file without its model vocabulary (parsed), and where the vocabulary is. */
function liteJson(text: string): { lite: TokenizerJson; span: VocabSpan } | undefined {
  const span = findModelVocab(text);
  if (!span) return undefined;
  try {
    return { lite: JSON.parse(text.slice(0, span.start) + '{}' + text.slice(span.end)) as TokenizerJson, span };
  } catch {
    return undefined; // malformed: the full parse reports it
  }
}

/** The vocabulary entries, read from the file only when asked for. */
function lazyEntries(keep: string | Uint8Array, span: VocabSpan): () => VocabEntries {
  return () => {
    const t = typeof keep === 'string' ? keep : utf8(keep);
    return vocabEntries(JSON.parse(t.slice(span.start, span.end)), 'WordPiece');
  };
}

/** The fast path's settings when the file (without its vocabulary) is BertNormalizer → BertPreTokenizer → WordPiece. */
function bertFastConfig(
  lite: TokenizerJson,
): { options: BertNormalizerOptions | null; prefix: string; unkToken: string; maxChars: number } | undefined {
  const m = lite.model as WordPieceJson | undefined;
  const norm = lite.normalizer;
  const isWordPiece =
    m !== undefined &&
    m !== null &&
    typeof m === 'object' &&
    (m.type === 'WordPiece' ||
      (m.type === undefined &&
        !('merges' in m) &&
        ('continuing_subword_prefix' in m || 'max_input_chars_per_word' in m)));
  if (
    !isWordPiece ||
    typeof m.unk_token !== 'string' ||
    lite.pre_tokenizer?.type !== 'BertPreTokenizer' ||
    (norm && norm.type !== 'BertNormalizer')
  )
    return undefined;
  return {
    options: norm && norm.type === 'BertNormalizer' ? bertNormalizerOptions(norm) : null,
    prefix: m.continuing_subword_prefix ?? '##',
    unkToken: m.unk_token,
    maxChars: m.max_input_chars_per_word ?? 100,
  };
}

function parseJson(source: string | Uint8Array | ArrayBuffer | object): TokenizerJson {
  let json: unknown = source;
  if (source instanceof Uint8Array || source instanceof ArrayBuffer) json = decodeUtf8(source);
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (cause) {
      throw new StaticEmbedError('INVALID_JSON', `tokenizer.json is not valid JSON: ${(cause as Error).message}.`, {
        cause,
      });
    }
  }
  return json as TokenizerJson;
}

/**
 * A Hugging Face tokenizer.json, tokenized exactly as the Rust `tokenizers` library does (ids only).
 *
 * @example
 * ```ts
 * import { Tokenizer } from 'static-embed/tokenizer';
 *
 * const vocab = { '[UNK]': 0, '[CLS]': 1, '[SEP]': 2, hello: 3, world: 4 };
 * const tok = Tokenizer.fromJSON({
 *   normalizer: { type: 'BertNormalizer', lowercase: true },
 *   pre_tokenizer: { type: 'BertPreTokenizer' },
 *   model: { type: 'WordPiece', vocab, unk_token: '[UNK]', continuing_subword_prefix: '##' },
 * });
 * console.log([...tok.encode('Hello WORLD!')].join(' ')); // → 3 4 0
 * ```
 */
export class Tokenizer {
  private pipelineCache: Pipeline | undefined;
  private readonly rawMatcher: AddedTokenMatcher | null;
  private readonly fast: BertFastPath | null;
  private readonly wordCache = new Map<string, number[]>();
  private readonly scratch: number[] = [];
  readonly vocabSize: number;
  /** The id of the model's unknown token, if it has one. */
  readonly unkId: number | undefined;
  readonly modelKind: TokenizerModel['kind'];
  private readonly special: { prefix: number[]; suffix: number[] } | null;
  private readonly rawPatterns: AddedPattern[];

  private constructor(
    private readonly source: string | Uint8Array | ArrayBuffer | object,
    pipeline: Pipeline | null,
    shared?: TokenizerShared,
    prebuilt?: BertFastPath,
  ) {
    if (pipeline) {
      this.pipelineCache = pipeline;
      this.rawPatterns = pipeline.rawPatterns;
      this.vocabSize = pipeline.vocabSize;
      this.unkId = pipeline.model.unkId;
      this.modelKind = pipeline.model.kind;
      const pp = pipeline.postProcessor;
      this.special = pp ? { prefix: [...pp.prefix], suffix: [...pp.suffix] } : null;
      const n = pipeline.normalizer,
        p = pipeline.preTokenizer;
      const bertNorm = n === null || isBertNormalizer(n);
      this.fast =
        pipeline.model instanceof WordPiece &&
        bertNorm &&
        pipeline.normMatcher === null &&
        p !== null &&
        isBertPreTokenizer(p)
          ? (prebuilt ?? BertFastPath.build(n && isBertNormalizer(n) ? n.options : null, pipeline.model))
          : null;
    } else {
      const s = shared!;
      this.rawPatterns = s.rawPatterns;
      this.vocabSize = s.vocabSize;
      this.unkId = s.unkId;
      this.modelKind = s.modelKind;
      this.special = s.special;
      this.fast = s.fast ? BertFastPath.fromShared(s.fast) : null;
    }
    this.rawMatcher = this.rawPatterns.length ? new AddedTokenMatcher(this.rawPatterns) : null;
  }

  /**
   * From the text of a tokenizer.json, its bytes, or the parsed object. `vocabTable`: the bytes of its
   * tokenizer.vocab.bin (see vocab-table.ts), used when it was built from exactly these bytes.
   */
  static fromJSON(
    source: string | Uint8Array | ArrayBuffer | object,
    options: { vocabTable?: Uint8Array } = {},
  ): Tokenizer {
    if (options.vocabTable && (source instanceof Uint8Array || source instanceof ArrayBuffer)) {
      const bytes = source instanceof ArrayBuffer ? new Uint8Array(source) : source;
      const fromTable = Tokenizer.fromVocabTable(bytes, options.vocabTable);
      if (fromTable) return fromTable;
    }
    const text =
      typeof source === 'string'
        ? source
        : source instanceof Uint8Array || source instanceof ArrayBuffer
          ? decodeUtf8(source)
          : undefined;
    if (text !== undefined && text.length > 100_000) {
      // keep the bytes, not the (twice as large) decoded string
      const fast = Tokenizer.fromLargeText(
        text,
        typeof source === 'string'
          ? source
          : source instanceof ArrayBuffer
            ? new Uint8Array(source)
            : (source as Uint8Array),
      );
      if (fast) return fast;
    }
    return new Tokenizer(text ?? source, new Pipeline(parseJson(text ?? source)));
  }

  /**
   * A large WordPiece tokenizer without building its vocabulary as JavaScript objects: the vocab object is
   * scanned from the text into the fast path's tables; the rest goes through JSON.parse; the vocabulary's
   * strings are made only if the generic path ever needs them.
   */
  private static fromLargeText(text: string, keep: string | Uint8Array): Tokenizer | undefined {
    const found = liteJson(text);
    const fastConfig = found && bertFastConfig(found.lite);
    if (!found || !fastConfig) return undefined;
    const { lite, span } = found;
    const { options, prefix, unkToken, maxChars } = fastConfig;
    const built = BertFastPath.buildFromText(options, text, span, prefix, unkToken, maxChars);
    const pipeline = new Pipeline(lite, {
      entries: lazyEntries(keep, span),
      unkId: built.unkId,
      vocabSize: built.maxId + 1,
    });
    built.fast.share();
    return new Tokenizer(keep, pipeline, undefined, built.fast);
  }

  /** The same from a precomputed vocabulary table: only the small rest of the file is decoded and parsed. */
  private static fromVocabTable(bytes: Uint8Array, file: Uint8Array): Tokenizer | undefined {
    const v = readVocabTable(file, bytes);
    if (!v) return undefined;
    let lite: TokenizerJson;
    try {
      const rest = utf8(bytes.subarray(0, v.vocabStart)) + '{}' + utf8(bytes.subarray(v.vocabEnd));
      lite = JSON.parse(rest) as TokenizerJson;
    } catch {
      return undefined; // the full parse reports it
    }
    const fastConfig = bertFastConfig(lite);
    if (!fastConfig) return undefined;
    const fast = BertFastPath.fromShared({
      normalizer: fastConfig.options,
      init: v.init,
      cont: v.cont,
      initMax: v.initMax,
      contMax: v.contMax,
      prefix: fastConfig.prefix,
      unkId: v.fastUnkId,
      maxChars: fastConfig.maxChars,
      lengthCounts: v.lengthCounts,
    });
    const { vocabStart, vocabEnd } = v; // the closure keeps two numbers, not the table
    const pipeline = new Pipeline(lite, {
      entries: () => vocabEntries(JSON.parse(utf8(bytes.subarray(vocabStart, vocabEnd))), 'WordPiece'),
      unkId: v.unkId,
      vocabSize: v.maxId + 1,
    });
    const tokenizer = new Tokenizer(bytes, pipeline, undefined, fast);
    tokenizer.vocabTable = true;
    return tokenizer;
  }

  /** A tokenizer rebuilt from `toShared()` (in a worker): the fast path is ready; the rest is built on first use. */
  static fromShared(shared: TokenizerShared): Tokenizer {
    adoptCharFlags(shared.flags);
    return new Tokenizer(shared.json, null, shared);
  }

  /** State for worker threads: fast-path tables in SharedArrayBuffers, the JSON bytes for everything else. */
  toShared(): TokenizerShared {
    if (!this.sharedJson) {
      const src = this.source;
      const bytes =
        src instanceof Uint8Array
          ? src
          : src instanceof ArrayBuffer
            ? new Uint8Array(src)
            : encoder.encode(typeof src === 'string' ? src : JSON.stringify(src));
      // in a SharedArrayBuffer, so that worker threads get it without a copy (models load it into one already)
      this.sharedJson = shareableBytes(bytes);
    }
    return {
      json: this.sharedJson,
      fast: this.fast ? this.fast.toShared() : null,
      rawPatterns: this.rawPatterns,
      vocabSize: this.vocabSize,
      unkId: this.unkId,
      modelKind: this.modelKind,
      special: this.special,
      flags: charFlags(),
    };
  }

  private sharedJson: Uint8Array | undefined;

  /**
   * The component pipeline (built on first use in a worker: with a fast path, only the small part of the
   * file is parsed, since the fast path's tables already do the model's vocabulary lookups).
   */
  get pipeline(): Pipeline {
    if (!this.pipelineCache) {
      const src = this.source;
      const text = this.fast
        ? typeof src === 'string'
          ? src
          : src instanceof Uint8Array || src instanceof ArrayBuffer
            ? decodeUtf8(src)
            : undefined
        : undefined;
      const found = text !== undefined ? liteJson(text) : undefined;
      this.pipelineCache = found
        ? new Pipeline(found.lite, {
            entries: lazyEntries(src as string | Uint8Array, found.span),
            unkId: this.unkId,
            vocabSize: this.vocabSize,
          })
        : new Pipeline(parseJson(src));
    }
    return this.pipelineCache;
  }

  get model(): TokenizerModel {
    return this.pipeline.model;
  }

  get normalizer(): Normalizer | null {
    return this.pipeline.normalizer;
  }

  get preTokenizer(): PreTokenizer | null {
    return this.pipeline.preTokenizer;
  }

  /** The id of a token string (added tokens first, then the model's vocabulary). */
  tokenToId(token: string): number | undefined {
    return this.pipeline.addedIds.get(token) ?? this.pipeline.model.tokenToId(token);
  }

  /** Every token string (model vocabulary and added tokens), each once. */
  vocabTokens(): string[] {
    const set = new Set(this.pipeline.model.tokens());
    for (const t of this.pipeline.addedIds.keys()) set.add(t);
    return [...set];
  }

  /**
   * model2vec's median token length: int(median of the code-point lengths of every token string), from the
   * fast path's length counts when there is one (no vocabulary strings built).
   */
  medianTokenLength(): number {
    let counts: number[];
    if (this.fast && this.fast.lengthCounts.length > 0) {
      counts = Array.from(this.fast.lengthCounts);
      for (const t of this.rawPatterns)
        if (!this.fast.has(t.token.content)) counts[Math.min(1024, [...t.token.content].length)]!++;
    } else {
      counts = new Array<number>(1025).fill(0);
      for (const t of this.vocabTokens()) counts[Math.min(1024, [...t].length)]!++;
    }
    const n = counts.reduce((a, b) => a + b, 0);
    if (n === 0) return 1;
    const kth = (k: number): number => {
      let acc = 0;
      for (let l = 0; l < counts.length; l++) {
        acc += counts[l]!;
        if (acc > k) return l;
      }
      return counts.length - 1;
    };
    return Math.trunc(n % 2 ? kth(n >> 1) : (kth((n >> 1) - 1) + kth(n >> 1)) / 2);
  }

  /** Whether this tokenizer was built from a precomputed vocabulary table (tokenizer.vocab.bin). */
  get usesVocabTable(): boolean {
    return this.vocabTable;
  }

  private vocabTable = false;

  /** Whether this tokenizer runs on the fused BERT fast path. */
  get usesFastPath(): boolean {
    return this.fast !== null;
  }

  encode(text: string, options: TokenizeOptions = {}): Uint32Array {
    const sink = new IdBuffer(Math.max(16, text.length >> 1));
    this.encodeInto(text, sink, options);
    return sink.toArray();
  }

  encodeBatch(texts: readonly string[], options: TokenizeOptions = {}): EncodedBatch {
    if (!Array.isArray(texts))
      throw new StaticEmbedError('INVALID_INPUT', `encodeBatch expects an array of strings, got ${describe(texts)}.`);
    const offsets = new Uint32Array(texts.length + 1);
    let chars = 0;
    for (const t of texts) chars += typeof t === 'string' ? t.length : 0;
    const sink = new IdBuffer(Math.max(1024, chars >> 2));
    for (let i = 0; i < texts.length; i++) {
      this.encodeInto(texts[i]!, sink, options);
      offsets[i + 1] = sink.length;
    }
    return { ids: sink.toArray(), offsets };
  }

  /**
   * Token ids with each token's place in `text`: [starts[i], ends[i]) in UTF-16 code units (the reference's code-point
   * offsets are `toCodePointOffsets(text, …)` of these). Runs the component pipeline with alignments, slower than
   * `encode`.
   */
  encodeWithOffsets(text: string, options: TokenizeOptions = {}): TokenSpans {
    if (typeof text !== 'string')
      throw new StaticEmbedError('INVALID_INPUT', `Expected a text string, got ${describe(text)}.`);
    return encodeAligned(this.pipeline, this.rawMatcher, text, options.addSpecialTokens === true ? this.special : null);
  }

  /** Appends the ids of one text to `sink` (the batch building block). */
  encodeInto(text: string, sink: IdBuffer, options: TokenizeOptions = {}): void {
    if (typeof text !== 'string')
      throw new StaticEmbedError('INVALID_INPUT', `Expected a text string, got ${describe(text)}.`);
    const special = options.addSpecialTokens === true ? this.special : null;
    if (special) sink.pushAll(special.prefix);
    if (this.fast) this.encodeFast(text, sink);
    else this.encodeGeneric(text, sink);
    if (special) sink.pushAll(special.suffix);
  }

  private encodeFast(text: string, sink: IdBuffer): void {
    const fast = this.fast!;
    const m = this.rawMatcher;
    const mark = sink.length;
    if (m === null || m.nextCandidate(text, 0, text.length) < 0) {
      if (fast.encode(text, 0, text.length, sink)) return;
    } else {
      let ok = true;
      for (const piece of m.split(text)) {
        if (typeof piece === 'number') sink.push(piece);
        else if (!fast.encode(piece, 0, piece.length, sink)) {
          ok = false;
          break;
        }
      }
      if (ok) return;
    }
    sink.length = mark;
    this.encodeGeneric(text, sink);
  }

  /** The reference pipeline, component by component. */
  encodeGeneric(text: string, sink: IdBuffer): void {
    const { normalizer, preTokenizer, normMatcher } = this.pipeline;
    const pieces: Piece[] = this.rawMatcher ? this.rawMatcher.split(text) : [text];
    pieces.forEach((piece, index) => {
      if (typeof piece === 'number') {
        sink.push(piece);
        return;
      }
      const start = { atStart: index === 0 };
      const normalized = normalizer ? normalizer.normalize(piece, start) : piece;
      const parts: Piece[] = normMatcher ? normMatcher.split(normalized) : [normalized];
      parts.forEach((part, j) => {
        if (typeof part === 'number') {
          sink.push(part);
          return;
        }
        if (j > 0) start.atStart = false;
        const words = preTokenizer ? preTokenizer.split([part], start) : part.length ? [part] : [];
        for (const w of words) this.tokenizeWord(w, sink);
      });
    });
  }

  private tokenizeWord(word: string, sink: IdBuffer): void {
    if (this.fast) {
      this.fast.emitWordString(word, sink);
      return;
    }
    let ids = this.wordCache.get(word);
    if (!ids) {
      const out = this.scratch;
      out.length = 0;
      this.pipeline.model.tokenize(word, out);
      ids = out.slice();
      if (this.wordCache.size >= 100_000) this.wordCache.clear();
      this.wordCache.set(word, ids);
    }
    sink.pushAll(ids);
  }
}
