/**
 * A Hugging Face `tokenizer.json` loaded for ids only: text → Uint32Array of ids, batches → one flat
 * Uint32Array plus offsets. Pipeline as the reference: added tokens cut out of the raw text → normalizer →
 * added tokens cut out of the normalized text → pre-tokenizer → model; special tokens only on request.
 *
 * Lone UTF-16 surrogates (which the reference can never receive: Python/Rust strings sent to it are valid
 * Unicode) are read as U+FFFD, the replacement a UTF-8 encoder writes for them.
 */
import { StaticEmbedError, describe } from '../errors.js';
import { AddedTokenMatcher, type Piece } from './added-tokens.js';
import { BertFastPath } from './bert-fast.js';
import { IdBuffer } from './id-buffer.js';
import { createModel, WordPiece, type TokenizerModel } from './models/index.js';
import { createNormalizer, isBertNormalizer, type Normalizer } from './normalizers.js';
import { createPostProcessor, type PostProcessor } from './post-processors.js';
import { createPreTokenizer, isBertPreTokenizer, type PreTokenizer } from './pre-tokenizers.js';
import type { TokenizerJson } from './schema.js';

export interface EncodeOptions {
  /** Add the post-processor's special tokens ([CLS] … [SEP]). Default false: static models encode without them. */
  addSpecialTokens?: boolean;
}

export interface EncodedBatch {
  /** All ids of the batch, text after text. */
  ids: Uint32Array;
  /** n + 1 offsets: the ids of text i are ids[offsets[i], offsets[i + 1]). */
  offsets: Uint32Array;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export class Tokenizer {
  readonly model: TokenizerModel;
  readonly normalizer: Normalizer | null;
  readonly preTokenizer: PreTokenizer | null;
  readonly postProcessor: PostProcessor | null;
  private readonly rawMatcher: AddedTokenMatcher | null;
  private readonly normMatcher: AddedTokenMatcher | null;
  private readonly fast: BertFastPath | null;
  private readonly wordCache = new Map<string, number[]>();
  private readonly scratch: number[] = [];
  private readonly addedIds = new Map<string, number>();

  private constructor(json: TokenizerJson) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new StaticEmbedError('INVALID_TOKENIZER', `tokenizer.json must hold a JSON object, got ${describe(json)}.`);
    }
    if (json.model === undefined) throw new StaticEmbedError('INVALID_TOKENIZER', 'tokenizer.json has no "model": is this a Hugging Face tokenizer.json file?');
    this.model = createModel(json.model);
    this.normalizer = json.normalizer ? createNormalizer(json.normalizer) : null;
    this.preTokenizer = json.pre_tokenizer ? createPreTokenizer(json.pre_tokenizer) : null;
    this.postProcessor = json.post_processor ? createPostProcessor(json.post_processor) : null;
    const added = json.added_tokens ?? [];
    if (!Array.isArray(added)) throw new StaticEmbedError('INVALID_TOKENIZER', `tokenizer.json "added_tokens" must be an array, got ${describe(added)}.`);
    const raw: Array<{ pattern: string; token: (typeof added)[number] }> = [];
    const norm: typeof raw = [];
    for (const t of added) {
      if (typeof t?.content !== 'string' || typeof t.id !== 'number') {
        throw new StaticEmbedError('INVALID_TOKENIZER', `tokenizer.json added token ${describe(t)} needs a string "content" and a number "id".`);
      }
      this.addedIds.set(t.content, t.id);
      const normalized = t.normalized ?? !t.special;
      if (normalized) norm.push({ pattern: this.normalizer ? this.normalizer.normalize(t.content) : t.content, token: t });
      else raw.push({ pattern: t.content, token: t });
    }
    this.rawMatcher = raw.length ? new AddedTokenMatcher(raw) : null;
    this.normMatcher = norm.length ? new AddedTokenMatcher(norm) : null;
    const bertNorm = this.normalizer === null || isBertNormalizer(this.normalizer);
    this.fast = this.model instanceof WordPiece && bertNorm && this.normMatcher === null &&
      this.preTokenizer !== null && isBertPreTokenizer(this.preTokenizer)
      ? new BertFastPath(this.normalizer && isBertNormalizer(this.normalizer) ? this.normalizer.options : null, this.model)
      : null;
  }

  /** From the text of a tokenizer.json, its bytes, or the parsed object. */
  static fromJSON(source: string | Uint8Array | ArrayBuffer | object): Tokenizer {
    let json: unknown = source;
    if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
      try {
        json = decoder.decode(source);
      } catch (cause) {
        throw new StaticEmbedError('INVALID_JSON', 'tokenizer.json is not valid UTF-8.', { cause });
      }
    }
    if (typeof json === 'string') {
      try {
        json = JSON.parse(json);
      } catch (cause) {
        throw new StaticEmbedError('INVALID_JSON', `tokenizer.json is not valid JSON: ${(cause as Error).message}.`, { cause });
      }
    }
    return new Tokenizer(json as TokenizerJson);
  }

  get vocabSize(): number {
    let n = this.model.vocabSize;
    for (const id of this.addedIds.values()) if (id + 1 > n) n = id + 1;
    return n;
  }

  /** The id of a token string (added tokens first, then the model's vocabulary). */
  tokenToId(token: string): number | undefined {
    return this.addedIds.get(token) ?? this.model.tokenToId(token);
  }

  /** The id of the model's unknown token, if it has one. */
  get unkId(): number | undefined {
    return this.model.unkId;
  }

  /** Every token string (model vocabulary and added tokens), each once. */
  vocabTokens(): string[] {
    const set = new Set(this.model.tokens());
    for (const t of this.addedIds.keys()) set.add(t);
    return [...set];
  }

  /** Whether this tokenizer runs on the fused BERT fast path. */
  get usesFastPath(): boolean {
    return this.fast !== null;
  }

  encode(text: string, options: EncodeOptions = {}): Uint32Array {
    const sink = new IdBuffer(Math.max(16, text.length >> 1));
    this.encodeInto(text, sink, options);
    return sink.toArray();
  }

  encodeBatch(texts: readonly string[], options: EncodeOptions = {}): EncodedBatch {
    if (!Array.isArray(texts)) throw new StaticEmbedError('INVALID_INPUT', `encodeBatch expects an array of strings, got ${describe(texts)}.`);
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

  /** Appends the ids of one text to `sink` (the batch building block). */
  encodeInto(text: string, sink: IdBuffer, options: EncodeOptions = {}): void {
    if (typeof text !== 'string') throw new StaticEmbedError('INVALID_INPUT', `Expected a text string, got ${describe(text)}.`);
    const special = options.addSpecialTokens === true && this.postProcessor !== null;
    if (special) sink.pushAll(this.postProcessor.prefix);
    if (this.fast) this.encodeFast(text, sink);
    else this.encodeGeneric(text, sink);
    if (special) sink.pushAll(this.postProcessor.suffix);
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
        else if (!fast.encode(piece, 0, piece.length, sink)) { ok = false; break; }
      }
      if (ok) return;
    }
    sink.length = mark;
    this.encodeGeneric(text, sink);
  }

  /** The reference pipeline, component by component. */
  encodeGeneric(text: string, sink: IdBuffer): void {
    const pieces: Piece[] = this.rawMatcher ? this.rawMatcher.split(text) : [text];
    pieces.forEach((piece, index) => {
      if (typeof piece === 'number') { sink.push(piece); return; }
      const start = { atStart: index === 0 };
      const normalized = this.normalizer ? this.normalizer.normalize(piece, start) : piece;
      const parts: Piece[] = this.normMatcher ? this.normMatcher.split(normalized) : [normalized];
      parts.forEach((part, j) => {
        if (typeof part === 'number') { sink.push(part); return; }
        if (j > 0) start.atStart = false;
        const words = this.preTokenizer ? this.preTokenizer.split([part], start) : part.length ? [part] : [];
        for (const w of words) this.tokenizeWord(w, sink);
      });
    });
  }

  private tokenizeWord(word: string, sink: IdBuffer): void {
    let ids = this.wordCache.get(word);
    if (!ids) {
      const out = this.scratch;
      out.length = 0;
      this.model.tokenize(word, out);
      ids = out.slice();
      if (this.wordCache.size >= 100_000) this.wordCache.clear();
      this.wordCache.set(word, ids);
    }
    sink.pushAll(ids);
  }
}
