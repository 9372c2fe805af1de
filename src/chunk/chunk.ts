/** Chunking a document: by sentences, by windows of tokens, or where the meaning changes (semantic). */
import { StaticEmbedError, describe } from '../errors.js';
import type { StaticModel } from '../model/static-model.js';
import { packSentences } from './pack.js';
import { boundarySimilarities, groupsWithin, selectBreaks } from './semantic.js';
import { splitSentences, type Span } from './sentences.js';
import { countTokens, tokenWindows, trimSpan, type Chunk } from './token-windows.js';

export type { Chunk } from './token-windows.js';

export type ChunkMethod = 'sentence' | 'tokens' | 'semantic';

export interface ChunkOptions {
  /** "semantic" (default): break where the meaning changes; "sentence": whole sentences; "tokens": fixed windows. */
  method?: ChunkMethod;
  /** Most tokens in a chunk (default 256); a single longer sentence is cut into windows of this many tokens. */
  maxTokens?: number;
  /** Tokens repeated from the end of the previous chunk ("tokens", "sentence": whole sentences); default 0. */
  overlap?: number;
  /** semantic: break where the similarity of the text before and after a sentence boundary is below this. */
  threshold?: number;
  /** semantic: break at the boundaries more dissimilar than this percentile (0–100) of the document's; default 50. */
  percentile?: number;
  /** semantic: sentences compared on each side of a boundary (default 3). */
  window?: number;
  /** Locale for sentence segmentation (Intl.Segmenter); default: the runtime's. */
  locale?: string;
}

interface Checked {
  method: ChunkMethod;
  maxTokens: number;
  overlap: number;
  threshold: number | undefined;
  percentile: number;
  window: number;
  locale: string | undefined;
}

function positiveInt(name: string, v: unknown, fallback: number, min = 1): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
    throw new StaticEmbedError('INVALID_ARGUMENT', `${name} must be an integer ≥ ${min}, got ${describe(v)}.`);
  return v;
}

export function checkChunkOptions(o: ChunkOptions): Checked {
  const method = o.method ?? 'semantic';
  if (method !== 'sentence' && method !== 'tokens' && method !== 'semantic')
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `method must be "sentence", "tokens" or "semantic", got ${describe(o.method)}.`,
    );
  const maxTokens = positiveInt('maxTokens', o.maxTokens, 256);
  const overlap = positiveInt('overlap', o.overlap, 0, 0);
  if (overlap >= maxTokens)
    throw new StaticEmbedError('INVALID_ARGUMENT', `overlap (${overlap}) must be below maxTokens (${maxTokens}).`);
  if (overlap > 0 && method === 'semantic')
    throw new StaticEmbedError('INVALID_ARGUMENT', 'overlap applies to the "tokens" and "sentence" methods only.');
  if (o.threshold !== undefined && o.percentile !== undefined)
    throw new StaticEmbedError('INVALID_ARGUMENT', 'Give threshold or percentile, not both.');
  const t = o.threshold;
  if (t !== undefined && (typeof t !== 'number' || !(t >= -1 && t <= 1)))
    throw new StaticEmbedError('INVALID_ARGUMENT', `threshold must be a similarity in [-1, 1], got ${describe(t)}.`);
  const p = o.percentile;
  if (p !== undefined && (typeof p !== 'number' || !(p >= 0 && p <= 100)))
    throw new StaticEmbedError('INVALID_ARGUMENT', `percentile must be a number in [0, 100], got ${describe(p)}.`);
  if (o.locale !== undefined && typeof o.locale !== 'string')
    throw new StaticEmbedError('INVALID_ARGUMENT', `locale must be a string, got ${describe(o.locale)}.`);
  const window = positiveInt('window', o.window, 3);
  return { method, maxTokens, overlap, threshold: t, percentile: p ?? 50, window, locale: o.locale };
}

/** Each sentence's sum of token vectors (n × dim) and token count, from one encode call over all of them. */
function sentenceSums(model: StaticModel, texts: string[]): { sums: Float32Array; counts: Int32Array } {
  const counts = new Int32Array(texts.length);
  const m = model.encode(texts, { normalize: false, tokenCounts: counts });
  const d = m.cols,
    sums = m.data;
  for (let i = 0; i < texts.length; i++) {
    const c = counts[i]!;
    for (let j = 0; j < d; j++) sums[i * d + j]! *= c;
    // a sentence the model cut to its maxLength: count all of its tokens
    if (model.maxLength !== null && c >= model.maxLength) counts[i] = countTokens(model, texts[i]!);
  }
  return { sums, counts };
}

/** Chunks from groups of sentences; a one-sentence group over maxTokens becomes token windows. */
function fromGroups(
  model: StaticModel,
  text: string,
  spans: Span[],
  counts: ArrayLike<number>,
  groups: Array<[number, number]>,
  o: Checked,
): Chunk[] {
  const out: Chunk[] = [];
  for (const [a, b] of groups) {
    const start = spans[a]!.start,
      end = spans[b - 1]!.end;
    let tokens = 0;
    for (let i = a; i < b; i++) tokens += counts[i]!;
    if (tokens > o.maxTokens) {
      for (const w of tokenWindows(model, text, start, end, o.maxTokens, o.overlap)) out.push({ index: 0, ...w });
      continue;
    }
    const span = trimSpan(text, start, end);
    if (span) out.push({ index: 0, text: text.slice(span[0], span[1]), start: span[0], end: span[1], tokens });
  }
  out.forEach((c, i) => (c.index = i));
  return out;
}

/** Chunks of each text (offsets: UTF-16 code units, so that `chunk.text === text.slice(chunk.start, chunk.end)`). */
export function chunkTexts(model: StaticModel, texts: readonly string[], options: ChunkOptions = {}): Chunk[][] {
  const o = checkChunkOptions(options);
  if (!Array.isArray(texts) || texts.some((t) => typeof t !== 'string'))
    throw new StaticEmbedError('INVALID_INPUT', `chunkTexts expects an array of strings, got ${describe(texts)}.`);
  switch (o.method) {
    case 'tokens':
      return texts.map((text) =>
        tokenWindows(model, text, 0, text.length, o.maxTokens, o.overlap).map((c, index) => ({ index, ...c })),
      );
    case 'sentence':
    case 'semantic': {
      const spans = texts.map((t) => splitSentences(t, o.locale));
      const all: string[] = [];
      texts.forEach((t, k) => spans[k]!.forEach((s) => all.push(t.slice(s.start, s.end))));
      const { sums, counts } = sentenceSums(model, all);
      const d = sums.length / Math.max(1, all.length);
      let at = 0;
      return texts.map((text, k) => {
        const n = spans[k]!.length;
        const c = counts.subarray(at, at + n);
        let groups: Array<[number, number]>;
        if (o.method === 'sentence') groups = packSentences(c, o.maxTokens, o.overlap);
        else {
          const sims = boundarySimilarities(sums.subarray(at * d, (at + n) * d), n, d, o.window);
          const rule = o.threshold !== undefined ? { threshold: o.threshold } : { percentile: o.percentile };
          groups = groupsWithin(selectBreaks(sims, rule), sims, c, o.maxTokens);
        }
        at += n;
        return fromGroups(model, text, spans[k]!, c, groups, o);
      });
    }
  }
}

/** Chunks of one text (see chunkTexts). */
export function chunkText(model: StaticModel, text: string, options: ChunkOptions = {}): Chunk[] {
  return chunkTexts(model, [text], options)[0]!;
}
