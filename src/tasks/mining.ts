/**
 * Paraphrase mining with sentence-transformers' `paraphrase_mining_embeddings` semantics.
 * See ARCHITECTURE.md, "Tasks and evaluation".
 */
import type { Matrix } from '../math/matrix.js';
import type { KernelRuntime } from './kernel-threads.js';
import { mineChunks } from './mine-tiles.js';
import { normalized } from '../math/similarity.js';
import { TopK } from '../math/topk.js';
import { positiveInt } from './search.js';

export interface MiningOptions {
  /** candidates per row (default 100) */
  topK?: number;
  /**
   * the bound of the queue of candidate pairs, as sentence-transformers' `max_pairs` (default 500,000): it holds
   * both directions of a pair, so about maxPairs / 2 distinct pairs come back (none for 1)
   */
  maxPairs?: number;
  /**
   * at most this many distinct pairs, the best ones (equal scores: larger line indices first, so the best N are a
   * prefix of the best N + 1); without maxPairs the 2·limit + 1 best candidates are kept, whatever their order
   */
  limit?: number;
  queryChunkSize?: number;
  corpusChunkSize?: number;
  /** threads for the SIMD kernel (default 1; Node: worker threads) */
  threads?: number;
  /** the runtime giving those threads (the Node entry's paraphraseMining gives its own) */
  runtime?: KernelRuntime;
  /** 'js' forces the plain loops (the reference) */
  kernel?: 'auto' | 'js';
}

export interface ScoredPair {
  score: number;
  i: number;
  j: number;
}

/** A min-heap of (score, i, j) triples ordered as Python tuples. */
class TripleHeap {
  private readonly a: ScoredPair[] = [];
  get size(): number {
    return this.a.length;
  }
  static less(x: ScoredPair, y: ScoredPair): boolean {
    return x.score < y.score || (x.score === y.score && (x.i < y.i || (x.i === y.i && x.j < y.j)));
  }
  /** the smallest triple (the heap must not be empty) */
  peek(): ScoredPair {
    return this.a[0]!;
  }
  /** every triple, smallest first, leaving the heap empty */
  drain(): ScoredPair[] {
    const out: ScoredPair[] = [];
    while (this.a.length > 0) out.push(this.pop());
    return out;
  }
  push(p: ScoredPair): void {
    const a = this.a;
    a.push(p);
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!TripleHeap.less(a[i]!, a[parent]!)) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }
  pop(): ScoredPair {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < a.length && TripleHeap.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && TripleHeap.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export function paraphraseMining(embeddings: Matrix, options: MiningOptions = {}): ScoredPair[] {
  const topK = positiveInt('topK', options.topK, 100) + 1;
  const limit = options.limit === undefined ? undefined : positiveInt('limit', options.limit, 1);
  // limit alone: exactly the best candidates (TopPairs); otherwise sentence-transformers' bounded queue
  const exact = limit !== undefined && options.maxPairs === undefined;
  const maxPairs = exact ? 2 * limit + 1 : positiveInt('maxPairs', options.maxPairs, 500_000);
  const qChunk = positiveInt('queryChunkSize', options.queryChunkSize, 5000);
  const cChunk = positiveInt('corpusChunkSize', options.corpusChunkSize, 100_000);
  const threads = positiveInt('threads', options.threads, 1);
  const pairs = exact ? new TopPairs(maxPairs) : new PairQueue(maxPairs);
  // the fast kernel scales its own copy of the rows; the plain loops a normalized copy
  const fast =
    options.kernel !== 'js' &&
    mineChunks(embeddings, topK, cChunk, threads, options.runtime, (r0, heaps) => {
      for (let i = 0; i < heaps.rows; i++) for (const { id, score } of heaps.sorted(i)) pairs.offer(score, r0 + i, id);
    });
  if (!fast) miningReference(normalized(embeddings), topK, qChunk, cChunk, pairs);
  const result = pairs.result(embeddings.rows);
  return limit === undefined ? result : result.slice(0, limit);
}

/** The plain loops (the reference): every score of every chunk pushed into each row's heap. */
function miningReference(e: Matrix, topK: number, qChunk: number, cChunk: number, pairs: CandidatePairs): void {
  const n = e.rows,
    d = e.cols,
    data = e.data;
  for (let c0 = 0; c0 < n; c0 += cChunk) {
    const c1 = Math.min(n, c0 + cChunk);
    const k = Math.min(topK, c1 - c0);
    for (let q0 = 0; q0 < n; q0 += qChunk) {
      const q1 = Math.min(n, q0 + qChunk);
      for (let i = q0; i < q1; i++) {
        const heap = new TopK(k);
        for (let j = c0; j < c1; j++) {
          let s = 0;
          for (let t = 0; t < d; t++) s += data[i * d + t]! * data[j * d + t]!;
          heap.push(Math.fround(s), j);
        }
        for (const { id: j, score } of heap.sorted()) pairs.offer(score, i, j);
      }
    }
  }
}

interface CandidatePairs {
  offer(score: number, i: number, j: number): void;
  result(n: number): ScoredPair[];
}

/** The pairs kept so far: a queue bounded by max_pairs, then de-duplicated as (min, max), best first. */
class PairQueue implements CandidatePairs {
  private readonly heap = new TripleHeap();
  private minScore = -1;
  private added = 0;
  constructor(private readonly maxPairs: number) {}

  offer(score: number, i: number, j: number): void {
    if (i !== j && score > this.minScore) {
      this.heap.push({ score, i, j });
      this.added++;
      if (this.added >= this.maxPairs) this.minScore = this.heap.pop().score;
    }
  }

  result(n: number): ScoredPair[] {
    // highest first; a stable sort keeps the ascending-pop order among equal scores, reversed like Python's
    return distinctPairs(this.heap.drain(), n)
      .reverse()
      .sort((x, y) => y.score - x.score);
  }
}

/**
 * For `limit`: exactly the `size` largest (score, i, j) triples offered, whatever the order of the offers; a pair
 * ranks by its larger triple, so the best N pairs are a prefix of the best N + 1, ties included.
 */
class TopPairs implements CandidatePairs {
  private readonly heap = new TripleHeap();
  constructor(private readonly size: number) {}

  offer(score: number, i: number, j: number): void {
    if (i === j) return;
    const t = { score, i, j };
    if (this.heap.size < this.size) this.heap.push(t);
    else if (TripleHeap.less(this.heap.peek(), t)) {
      this.heap.pop();
      this.heap.push(t);
    }
  }

  result(n: number): ScoredPair[] {
    return distinctPairs(this.heap.drain().reverse(), n);
  }
}

/** Each pair once, as (min, max), at the place and score of its first triple in `triples` (rows below `n`). */
function distinctPairs(triples: readonly ScoredPair[], n: number): ScoredPair[] {
  const seen = new Set<number>();
  const out: ScoredPair[] = [];
  for (const { score, i, j } of triples) {
    const a = Math.min(i, j),
      b = Math.max(i, j);
    if (a !== b && !seen.has(a * n + b)) {
      seen.add(a * n + b);
      out.push({ score, i: a, j: b });
    }
  }
  return out;
}
