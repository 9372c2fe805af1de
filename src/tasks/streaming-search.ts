/** Exact top-k search over a corpus that arrives in chunks. See ARCHITECTURE.md, "Kernels and their layouts". */
import { StaticEmbedError } from '../errors.js';
import { BlockScanner, SPAN } from '../kernels/block-scanner.js';
import type { Matrix } from '../math/matrix.js';
import { RowHeaps } from '../math/row-heaps.js';
import { normalized } from '../math/similarity.js';

/** One search result: the corpus row and its score. */
export interface SearchHit {
  corpusId: number;
  score: number;
}

export interface StreamingSearchOptions {
  topK: number;
  scoreFunction: 'cosine' | 'dot';
  /** 'js' forces the plain-loop reference kernel */
  kernel?: 'auto' | 'js';
}

export class StreamingSearch {
  private readonly heaps: RowHeaps;
  private readonly scanner: BlockScanner;
  private readonly cosine: boolean;
  /** corpus rows seen so far (the id of the next chunk's first row) */
  seen = 0;

  constructor(
    queries: Matrix,
    readonly options: StreamingSearchOptions,
  ) {
    this.cosine = options.scoreFunction === 'cosine';
    const q = this.cosine ? normalized(queries) : queries;
    this.heaps = new RowHeaps(q.rows, options.topK);
    this.scanner = new BlockScanner(q.data, q.rows, q.cols, options.kernel);
    this.scanner.thresholds.fill(-Infinity);
  }

  /** Scores the next rows of the corpus (ids continue from the previous chunks). */
  add(chunk: Matrix): void {
    const sc = this.scanner;
    if (chunk.cols !== sc.d)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `Corpus rows have ${chunk.cols} dimensions and the queries ${sc.d}; they must match.`,
      );
    const n = chunk.rows;
    sc.setCorpus(chunk.data, 0, n, this.cosine);
    const thr = sc.thresholds;
    for (let j0 = 0; j0 < n; j0 += SPAN) {
      for (let i = 0; i < sc.nq; i += 4) {
        const cnt = sc.scan(i, Math.min(4, sc.nq - i), j0, thr);
        for (let t = 0; t < cnt; t++) {
          const row = j0 + sc.rowOf(t);
          if (row >= n) continue;
          const a = i + sc.queryOf(t);
          thr[a] = this.heaps.push(a, sc.scoreOf(t), this.seen + row);
        }
      }
    }
    this.seen += n;
  }

  /** Ids kept by some query right now (to hold on to their texts). */
  keptIds(): Set<number> {
    const s = new Set<number>();
    for (let i = 0; i < this.heaps.rows; i++)
      for (let t = 0; t < this.heaps.sizes[i]!; t++) s.add(this.heaps.ids[i * this.heaps.k + t]!);
    return s;
  }

  /** Every query's hits, best first (equal scores: larger id first, as semantic_search). */
  results(): SearchHit[][] {
    return Array.from({ length: this.heaps.rows }, (_, i) =>
      this.heaps.sorted(i).map((x) => ({ corpusId: x.id, score: x.score })),
    );
  }
}
