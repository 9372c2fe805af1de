/**
 * Queries held next to a corpus in block layout, scored by `scores_above` or its reference.
 * See ARCHITECTURE.md, "Kernels and their layouts".
 */
import { Arena } from './arena.js';
import {
  GROUP,
  TRIPLE_BYTES,
  blockFloats,
  scoresAboveReference,
  searchInstance,
  toBlocks,
  type ScoresAbove,
} from './scan.js';

/** Corpus rows per kernel call at most (the triple buffer holds 4 × SPAN). */
export const SPAN = 256;

export class BlockScanner {
  private readonly arena: Arena;
  private readonly fn: ScoresAbove | undefined;
  private readonly q: { ptr: number; view: Float32Array };
  private readonly thr: { ptr: number; view: Float32Array };
  private readonly outPtr: number;
  private outI: Int32Array;
  private outF: Float32Array;
  private readonly ref = { k: new Int32Array(0), row: new Int32Array(0), score: new Float32Array(0) };
  private blocks: { ptr: number; view: Float32Array } | undefined;
  private step = 3;
  /** corpus rows set by `setCorpus` */
  rows = 0;

  constructor(
    queries: Float32Array,
    readonly nq: number,
    readonly d: number,
    kernel: 'auto' | 'js' = 'auto',
  ) {
    this.arena = Arena.create(nq * d * 4 + 4 * SPAN * TRIPLE_BYTES, kernel !== 'js');
    this.q = this.arena.f32(nq * d);
    this.q.view.set(queries.subarray(0, nq * d));
    this.thr = this.arena.f32(nq + 4);
    const mem = this.arena.memory;
    if (mem) {
      this.outPtr = this.arena.allocBytes(4 * SPAN * TRIPLE_BYTES);
      this.outI = new Int32Array(mem.buffer, this.outPtr, 4 * SPAN * 3);
      this.outF = new Float32Array(mem.buffer, this.outPtr, 4 * SPAN * 3);
      this.fn = searchInstance(mem).exports.scores_above as ScoresAbove;
    } else {
      this.outPtr = 0;
      this.ref = { k: new Int32Array(4 * SPAN), row: new Int32Array(4 * SPAN), score: new Float32Array(4 * SPAN) };
      this.outI = this.ref.k;
      this.outF = this.ref.score;
      this.fn = undefined;
      this.step = 1;
    }
  }

  /** Per-query thresholds: a score is emitted when ≥ its query's threshold (the view survives memory growth). */
  get thresholds(): Float32Array {
    const mem = this.arena.memory;
    return mem ? new Float32Array(mem.buffer, this.thr.ptr, this.nq + 4) : this.thr.view;
  }

  /** Rows [from, from + n) of `src` (row-major, d columns) become the corpus (`unit`: scaled to unit length). */
  setCorpus(src: Float32Array, from: number, n: number, unit = false): void {
    const floats = blockFloats(n, this.d);
    if (!this.blocks || this.blocks.view.length < floats)
      this.blocks = this.arena.f32(Math.max(floats, (this.blocks?.view.length ?? 0) * 2));
    const mem = this.arena.memory;
    toBlocks(
      src,
      from,
      n,
      this.d,
      mem ? new Float32Array(mem.buffer, this.blocks.ptr, floats) : this.blocks.view,
      unit,
    );
    this.rows = n;
  }

  /** Scores queries [i, i + nq) (nq ≤ 4) against corpus rows [j0, j0 + min(SPAN, rows − j0)); returns the triple count. */
  scan(i: number, nq: number, j0: number, thresholds: Float32Array): number {
    const d = this.d,
      ng = Math.ceil(Math.min(SPAN, this.rows - j0) / GROUP);
    if (this.fn)
      return this.fn(
        this.q.ptr + i * d * 4,
        nq,
        d * 4,
        this.blocks!.ptr + j0 * d * 4,
        ng,
        d,
        this.thr.ptr + i * 4,
        0,
        this.outPtr,
      );
    return scoresAboveReference(
      this.q.view,
      i * d,
      nq,
      d,
      this.blocks!.view,
      j0 * d,
      ng,
      d,
      thresholds,
      i,
      undefined,
      0,
      this.ref,
    );
  }

  /** Triple t of the last scan: query offset (0–3), corpus row (from j0; may be ≥ rows: padding), score. */
  queryOf(t: number): number {
    return this.outI[t * this.step]!;
  }
  rowOf(t: number): number {
    return this.step === 3 ? this.outI[t * 3 + 1]! : this.ref.row[t]!;
  }
  scoreOf(t: number): number {
    return this.outF[t * this.step + (this.step === 3 ? 2 : 0)]!;
  }
}
