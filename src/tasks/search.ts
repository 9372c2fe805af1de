/**
 * Exact semantic search, with sentence-transformers' `semantic_search` semantics and output: queries and corpus
 * processed in chunks, the top k of each query kept in a bounded heap, results sorted by decreasing score.
 */
import { StaticEmbedError, describe } from '../errors.js';
import { Matrix } from '../math/matrix.js';
import { normalized, SIMILARITY_FNS, type SimilarityFn } from '../math/similarity.js';
import { TopK } from '../math/topk.js';
import { StreamingSearch, type SearchHit } from './streaming-search.js';

export type { SearchHit };

export interface SearchOptions {
  topK?: number;
  queryChunkSize?: number;
  corpusChunkSize?: number;
  /** cosine (default) or dot; for cosine, rows are normalized first */
  scoreFunction?: Extract<SimilarityFn, 'cosine' | 'dot'>;
  /** 'js' forces the plain loops (the reference); by default the SIMD kernel scores */
  kernel?: 'auto' | 'js';
}

export function positiveInt(name: string, v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new StaticEmbedError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${describe(v)}.`);
  return v;
}

export function semanticSearch(queries: Matrix, corpus: Matrix, options: SearchOptions = {}): SearchHit[][] {
  const topK = positiveInt('topK', options.topK, 10);
  const qChunk = positiveInt('queryChunkSize', options.queryChunkSize, 100);
  const cChunk = positiveInt('corpusChunkSize', options.corpusChunkSize, 500_000);
  const fn = options.scoreFunction ?? 'cosine';
  if (fn !== 'cosine' && fn !== 'dot')
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `scoreFunction must be "cosine" or "dot", got ${describe(fn)} (${SIMILARITY_FNS.join(', ')} exist as similarities).`,
    );
  if (queries.cols !== corpus.cols)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `Queries have ${queries.cols} dimensions and the corpus ${corpus.cols}; they must match.`,
    );
  if (options.kernel !== 'js') {
    const stream = new StreamingSearch(queries, { topK, scoreFunction: fn });
    stream.add(corpus);
    return stream.results();
  }
  const q = fn === 'cosine' ? normalized(queries) : queries;
  const c = fn === 'cosine' ? normalized(corpus) : corpus;
  const d = q.cols;
  const heaps = Array.from({ length: q.rows }, () => new TopK(topK));
  const qd = q.data,
    cd = c.data;
  for (let q0 = 0; q0 < q.rows; q0 += qChunk) {
    const q1 = Math.min(q.rows, q0 + qChunk);
    for (let c0 = 0; c0 < c.rows; c0 += cChunk) {
      const c1 = Math.min(c.rows, c0 + cChunk);
      for (let i = q0; i < q1; i++) {
        const heap = heaps[i]!;
        const qo = i * d;
        for (let k = c0; k < c1; k++) {
          const co = k * d;
          let s = 0;
          for (let j = 0; j < d; j++) s += qd[qo + j]! * cd[co + j]!;
          s = Math.fround(s);
          if (s >= heap.min) heap.push(s, k);
        }
      }
    }
  }
  return heaps.map((h) => h.sorted().map((x) => ({ corpusId: x.id, score: x.score })));
}

/** A matrix from rows given as arrays (a convenience for callers holding plain arrays). */
export function asMatrix(m: Matrix | ArrayLike<ArrayLike<number>>): Matrix {
  return m instanceof Matrix ? m : Matrix.fromArrays(m);
}
