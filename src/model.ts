/**
 * StaticModel, in memory only: a tokenizer and an embedding table; a batch of texts becomes one flat id
 * buffer, pooled into rows of one preallocated Float32Array (mean of the token rows, accumulated in float32),
 * then truncated and normalized. Building one from bytes never touches the filesystem (see io.ts for that).
 */
import { StaticEmbedError, describe } from './errors.js';
import { resolveLayout, type FileSource, type ProfileName, type ResolvedLayout, type SimilarityFnName } from './formats/layouts.js';
import { readSafetensors, tableToFloat32, tensorToNumbers } from './formats/safetensors.js';
import { Matrix } from './math/matrix.js';
import { similarityMatrix, type SimilarityFn } from './math/similarity.js';
import { normalizeRows, truncate } from './postprocess.js';
import { IdBuffer } from './tokenizer/id-buffer.js';
import { Tokenizer } from './tokenizer/tokenizer.js';

export interface LoadOptions {
  /** Keep only the first N dimensions of the table (Matryoshka): the rest is never held in memory. */
  truncateDim?: number;
  /** Normalize embeddings (default: the model's Normalize module or config). */
  normalize?: boolean;
  /** Encoding rules (default: chosen by the folder layout). */
  profile?: ProfileName;
  /** model2vec profile: maximum tokens per text (default 512; null = no limit). */
  maxLength?: number | null;
}

export interface EncodeOptions {
  /** Texts tokenized and pooled per step (memory of the id buffer); default 4096. */
  batchSize?: number;
  normalize?: boolean;
  truncateDim?: number;
}

export interface ModelInfo {
  layout: string;
  profile: ProfileName;
  vocabSize: number;
  tableRows: number;
  dim: number;
  sourceDim: number;
  dtype: string;
  normalize: boolean;
  dropUnk: boolean;
  maxLength: number | null;
  vocabularyQuantized: boolean;
  similarityFnName: SimilarityFnName;
  tableBytes: number;
  tokenizerFastPath: boolean;
}

/** Files of a model, by path relative to the model folder. */
export type ModelFiles = Map<string, Uint8Array> | Record<string, Uint8Array>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class BytesSource implements FileSource {
  private readonly files: Map<string, Uint8Array>;
  constructor(files: ModelFiles) {
    this.files = files instanceof Map ? files : new Map(Object.entries(files));
  }
  has(path: string): boolean {
    return this.files.has(path);
  }
  bytes(path: string): Uint8Array {
    const b = this.files.get(path);
    if (!b) throw new StaticEmbedError('NOT_FOUND', `Model file ${path} is missing.`);
    return b;
  }
  readJson(path: string): unknown {
    return parseJsonFile(this.bytes(path), path);
  }
}

export function parseJsonFile(bytes: Uint8Array, path: string): unknown {
  try {
    return JSON.parse(utf8.decode(bytes));
  } catch (cause) {
    throw new StaticEmbedError('INVALID_MODEL', `${path} is not valid UTF-8 JSON: ${(cause as Error).message}.`, { cause });
  }
}

export class StaticModel {
  /** float32 table, tableRows × dim, row-major */
  readonly table: Float32Array;
  readonly tableRows: number;
  readonly dim: number;
  /** vocabulary quantization: table row of each token id, and each token's weight */
  readonly mapping: Int32Array | undefined;
  readonly weights: Float32Array | undefined;
  readonly normalize: boolean;
  readonly profile: ProfileName;
  readonly maxLength: number | null;
  readonly similarityFnName: SimilarityFnName;
  private readonly unkId: number | undefined;
  private medianTokenLength: number | undefined;

  private constructor(
    readonly tokenizer: Tokenizer,
    readonly resolved: ResolvedLayout,
    options: LoadOptions,
    private readonly sourceDtype: string,
    private readonly sourceDim: number,
    table: { data: Float32Array; rows: number; dim: number; mapping?: Int32Array; weights?: Float32Array },
  ) {
    this.table = table.data;
    this.tableRows = table.rows;
    this.dim = table.dim;
    this.mapping = table.mapping;
    this.weights = table.weights;
    this.profile = options.profile ?? resolved.profile;
    this.normalize = options.normalize ?? resolved.normalize;
    this.maxLength = this.profile === 'model2vec' ? (options.maxLength === undefined ? 512 : options.maxLength) : (options.maxLength ?? null);
    this.similarityFnName = resolved.similarityFnName;
    // model2vec drops the unknown token of models that have an unk_token (not Unigram, as in Python)
    this.unkId = this.profile === 'model2vec' && tokenizer.model.kind !== 'Unigram' ? tokenizer.unkId : undefined;
  }

  /** Builds a model from the files of its folder (paths relative to the folder). No filesystem access. */
  static fromBytes(files: ModelFiles, options: LoadOptions = {}, where = 'the given files'): StaticModel {
    const src = new BytesSource(files);
    const resolved = resolveLayout(src, where);
    return StaticModel.fromParts(src.bytes(resolved.tokenizer), src.bytes(resolved.weights), resolved, options);
  }

  /** Builds a model from a tokenizer.json and a safetensors file with a resolved layout. */
  static fromParts(tokenizerJson: Uint8Array | string, weightsFile: Uint8Array, resolved: ResolvedLayout, options: LoadOptions = {}): StaticModel {
    checkOptions(options);
    const tokenizer = Tokenizer.fromJSON(tokenizerJson);
    const st = readSafetensors(weightsFile);
    const name = resolved.tensorNames.find((n) => st.tensors.has(n));
    if (!name) {
      throw new StaticEmbedError('INVALID_MODEL', `${resolved.weights} has no embedding tensor: looked for ${resolved.tensorNames.join(', ')}, found ${[...st.tensors.keys()].join(', ') || 'no tensors'}.`);
    }
    const emb = st.tensors.get(name)!;
    if (emb.shape.length !== 2) throw new StaticEmbedError('INVALID_MODEL', `Tensor "${name}" has shape [${emb.shape.join(', ')}]; an embedding table is [rows, dim].`);
    const [rows, sourceDim] = emb.shape as [number, number];
    if (rows === 0 || sourceDim === 0) throw new StaticEmbedError('INVALID_MODEL', `Tensor "${name}" is empty ([${rows}, ${sourceDim}]).`);
    const dim = options.truncateDim !== undefined ? Math.min(options.truncateDim, sourceDim) : sourceDim;
    const vocab = tokenizer.vocabSize;
    const mappingT = st.tensors.get('mapping');
    const weightsT = st.tensors.get('weights');
    const scalesT = st.tensors.get('scales');
    let mapping: Int32Array | undefined, weights: Float32Array | undefined;
    if (mappingT) {
      const m = tensorToNumbers(mappingT);
      if (m.length !== vocab) throw new StaticEmbedError('INVALID_MODEL', `"mapping" has ${m.length} entries but the tokenizer has ${vocab} tokens; they must match.`);
      mapping = new Int32Array(m.length);
      for (let i = 0; i < m.length; i++) {
        const r = m[i]!;
        if (!Number.isInteger(r) || r < 0 || r >= rows) throw new StaticEmbedError('INVALID_MODEL', `"mapping"[${i}] = ${r} is not a row of the ${rows}-row table.`);
        mapping[i] = r;
      }
    } else if (rows !== vocab) {
      throw new StaticEmbedError('INVALID_MODEL', `The embedding table has ${rows} rows but the tokenizer has ${vocab} tokens; expected one row per token (or a "mapping" tensor).`);
    }
    if (weightsT) {
      const w = tensorToNumbers(weightsT);
      if (w.length !== vocab) throw new StaticEmbedError('INVALID_MODEL', `"weights" has ${w.length} entries but the tokenizer has ${vocab} tokens; they must match.`);
      weights = Float32Array.from(w);
    }
    let scales: Float64Array | undefined;
    if (scalesT) {
      scales = tensorToNumbers(scalesT);
      if (scales.length !== rows) throw new StaticEmbedError('INVALID_MODEL', `"scales" has ${scales.length} entries; expected one per table row (${rows}).`);
    }
    const data = tableToFloat32(emb, dim, scales);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i]!)) throw new StaticEmbedError('INVALID_MODEL', `The embedding table holds a non-finite value (${data[i]}) at row ${Math.floor(i / dim)}; the model is damaged.`);
    }
    return new StaticModel(tokenizer, resolved, options, emb.dtype + (scalesT ? '+scales' : ''), sourceDim,
      { data, rows, dim, ...(mapping ? { mapping } : {}), ...(weights ? { weights } : {}) });
  }

  /** Reads a model folder or Hub id (Node: filesystem and network). */
  static async fromPretrained(idOrPath: string, options: LoadOptions & import('./hub.js').HubOptions = {}): Promise<StaticModel> {
    const { loadPretrained } = await import('./pretrained.js');
    return loadPretrained(idOrPath, options);
  }

  /** Embeddings of texts: one row per text, in a contiguous Float32Array-backed matrix. */
  encode(texts: readonly string[] | string, options: EncodeOptions = {}): Matrix {
    const list = typeof texts === 'string' ? [texts] : texts;
    if (!Array.isArray(list)) throw new StaticEmbedError('INVALID_INPUT', `encode expects a string or an array of strings, got ${describe(texts)}.`);
    const batchSize = options.batchSize ?? 4096;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new StaticEmbedError('INVALID_ARGUMENT', `batchSize must be a positive integer, got ${describe(options.batchSize)}.`);
    for (let i = 0; i < list.length; i++) {
      if (typeof list[i] !== 'string') throw new StaticEmbedError('INVALID_INPUT', `Text ${i} is ${describe(list[i])}; every input must be a string.`);
    }
    let out = new Matrix(list.length, this.dim);
    const ids = new IdBuffer(1 << 16);
    const offsets = new Uint32Array(Math.min(batchSize, list.length) + 1);
    for (let start = 0; start < list.length; start += batchSize) {
      const end = Math.min(list.length, start + batchSize);
      this.tokenizeInto(list, start, end, ids, offsets);
      this.pool(ids.data, offsets, end - start, out.data, start * this.dim);
    }
    const dim = options.truncateDim;
    if (dim !== undefined) out = truncate(out, dim);
    if (options.normalize ?? this.normalize) normalizeRows(out);
    return out;
  }

  /** Token ids of texts[start, end) into `ids`, with offsets[0..n]; applies the profile's id rules. */
  tokenizeInto(texts: readonly string[], start: number, end: number, ids: IdBuffer, offsets: Uint32Array): void {
    ids.length = 0;
    offsets[0] = 0;
    const maxLen = this.maxLength;
    const cut = maxLen !== null ? maxLen * this.medianLength() : 0;
    const unk = this.unkId;
    for (let i = start; i < end; i++) {
      const mark = ids.length;
      let text = texts[i]!;
      if (maxLen !== null && text.length > cut) text = sliceCodePoints(text, cut);
      this.tokenizer.encodeInto(text, ids);
      if (unk !== undefined) {
        const d = ids.data;
        let w = mark;
        for (let r = mark; r < ids.length; r++) if (d[r] !== unk) d[w++] = d[r]!;
        ids.length = w;
      }
      if (maxLen !== null && ids.length - mark > maxLen) ids.length = mark + maxLen;
      offsets[i - start + 1] = ids.length;
    }
  }

  /**
   * Mean pooling of n id bags into out[at…]: rows accumulated in float32, weighted when the model has token
   * weights, divided by the bag size; an empty bag stays a zero vector.
   */
  pool(ids: Uint32Array, offsets: Uint32Array, n: number, out: Float32Array, at: number): void {
    const d = this.dim, table = this.table, mapping = this.mapping, weights = this.weights;
    for (let i = 0; i < n; i++) {
      const o = at + i * d;
      const a = offsets[i]!, b = offsets[i + 1]!;
      out.fill(0, o, o + d);
      if (b === a) continue;
      for (let k = a; k < b; k++) {
        const id = ids[k]!;
        const row = (mapping ? mapping[id]! : id) * d;
        if (weights) {
          const w = weights[id]!;
          for (let j = 0; j < d; j++) out[o + j] = out[o + j]! + table[row + j]! * w;
        } else {
          for (let j = 0; j < d; j++) out[o + j] = out[o + j]! + table[row + j]!;
        }
      }
      const inv = b - a;
      for (let j = 0; j < d; j++) out[o + j] = out[o + j]! / inv;
    }
  }

  /** model2vec's median token length (code points), used to pre-cut long texts. */
  medianLength(): number {
    if (this.medianTokenLength === undefined) {
      const lens = this.tokenizer.vocabTokens().map((t) => [...t].length).sort((x, y) => x - y);
      const m = lens.length >> 1;
      this.medianTokenLength = lens.length === 0 ? 1 : Math.trunc(lens.length % 2 ? lens[m]! : (lens[m - 1]! + lens[m]!) / 2);
    }
    return this.medianTokenLength;
  }

  /** Similarity matrix of two sets of embeddings, with the model's similarity function unless given. */
  similarity(a: Matrix, b: Matrix, fn: SimilarityFn = this.similarityFnName): Matrix {
    return similarityMatrix(a, b, fn);
  }

  info(): ModelInfo {
    return {
      layout: this.resolved.layout,
      profile: this.profile,
      vocabSize: this.tokenizer.vocabSize,
      tableRows: this.tableRows,
      dim: this.dim,
      sourceDim: this.sourceDim,
      dtype: this.sourceDtype,
      normalize: this.normalize,
      dropUnk: this.unkId !== undefined,
      maxLength: this.maxLength,
      vocabularyQuantized: this.mapping !== undefined,
      similarityFnName: this.similarityFnName,
      tableBytes: this.table.byteLength,
      tokenizerFastPath: this.tokenizer.usesFastPath,
    };
  }
}

/** The first n code points of s. */
export function sliceCodePoints(s: string, n: number): string {
  let i = 0, k = 0;
  while (i < s.length && k < n) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    k++;
  }
  return s.slice(0, i);
}

function checkOptions(o: LoadOptions): void {
  if (o.truncateDim !== undefined && (!Number.isInteger(o.truncateDim) || o.truncateDim < 1)) {
    throw new StaticEmbedError('INVALID_ARGUMENT', `truncateDim must be a positive integer, got ${describe(o.truncateDim)}.`);
  }
  if (o.profile !== undefined && o.profile !== 'sentence-transformers' && o.profile !== 'model2vec') {
    throw new StaticEmbedError('INVALID_ARGUMENT', `profile must be "sentence-transformers" or "model2vec", got ${describe(o.profile)}.`);
  }
  if (o.maxLength !== undefined && o.maxLength !== null && (!Number.isInteger(o.maxLength) || o.maxLength < 1)) {
    throw new StaticEmbedError('INVALID_ARGUMENT', `maxLength must be a positive integer or null, got ${describe(o.maxLength)}.`);
  }
}
