/**
 * The fast candidate step of paraphrase mining: every row's top-k neighbours within one corpus chunk.
 * See ARCHITECTURE.md, "Kernels and their layouts".
 */
import { Arena } from '../kernels/arena.js';
import { GROUP, TRIPLE_BYTES, blockFloats, searchInstance, toBlocks, type ScoresAbove } from '../kernels/scan.js';
import type { Matrix } from '../math/matrix.js';
import { RowHeaps } from '../math/row-heaps.js';
import { blockingThreads, newControl, type KernelRuntime } from './kernel-threads.js';

/** Rows per tile side (a multiple of 8). */
const TILE = 256;

export interface MineJob {
  type: 'mine';
  memory: WebAssembly.Memory;
  n: number;
  d: number;
  /** byte offsets: the rows (row-major), the chunk's rows in block layout */
  rows: number;
  blocks: number;
  c0: number;
  c1: number;
  /** the rows of this job's heaps: [r0, r1) (the chunk's own rows, or a group of others) */
  r0: number;
  r1: number;
  k: number;
  /** (i0, i1, j0, j1, symmetric) per tile; j in chunk coordinates */
  tiles: Int32Array;
  control: Int32Array;
  /** per thread: RowHeaps storage, thresholds (n + 8 floats) and triple buffer, as byte offsets */
  heaps: SharedArrayBuffer;
  thresholds: number[];
  triples: number[];
}

/** The smallest float32 above x (x finite or −∞): a threshold that lets only larger scores through. */
const f32 = new Float32Array(1),
  i32 = new Int32Array(f32.buffer);
function nextUp32(x: number): number {
  if (x === -Infinity || x !== x) return x;
  if (x === 0) return 1.401298464324817e-45;
  f32[0] = x;
  i32[0] = i32[0]! + (x > 0 ? 1 : -1);
  return f32[0];
}

/** One thread's share of a mining job: claims tiles until none is left. */
export function mineThread(job: MineJob, thread: number): void {
  const { memory, n, d, c0, c1, r0, r1, k, tiles, control } = job;
  const fn = searchInstance(memory).exports.scores_above as ScoresAbove;
  const heaps = RowHeaps.over(job.heaps, thread * RowHeaps.bytes(r1 - r0, k), r1 - r0, k);
  heaps.reset();
  const thrPtr = job.thresholds[thread]!,
    outPtr = job.triples[thread]!;
  const thr = new Float32Array(memory.buffer, thrPtr, n + GROUP);
  thr.fill(-Infinity, r0, r1);
  thr.fill(Infinity, n);
  const outI = new Int32Array(memory.buffer, outPtr, 4 * TILE * 3);
  const outF = new Float32Array(memory.buffer, outPtr, 4 * TILE * 3);
  const chunkRows = c1 - c0,
    count = tiles.length / 5;
  // a full heap's threshold after a tile: later tiles bring smaller ids, which lose ties
  const strict = (from: number, to: number) => {
    for (let r = from; r < to; r++) thr[r] = nextUp32(heaps.min(r - r0));
  };
  for (let t = Atomics.add(control, 0, 1); t < count; t = Atomics.add(control, 0, 1)) {
    const i0 = tiles[5 * t]!,
      i1 = tiles[5 * t + 1]!,
      j0 = tiles[5 * t + 2]!,
      j1 = tiles[5 * t + 3]!,
      sym = tiles[5 * t + 4] === 1;
    const ng = Math.ceil((j1 - j0) / GROUP);
    const rowsPtr = job.blocks + j0 * d * 4;
    const rthr = sym ? thrPtr + (c0 + j0) * 4 : 0;
    for (let i = i0; i < i1; i += 4) {
      const nq = Math.min(4, i1 - i);
      const cnt = fn(job.rows + i * d * 4, nq, d * 4, rowsPtr, ng, d, thrPtr + i * 4, rthr, outPtr);
      for (let c = 0; c < cnt; c++) {
        const jl = j0 + outI[3 * c + 1]!;
        if (jl >= chunkRows) continue;
        const a = i + outI[3 * c]!,
          b = c0 + jl,
          s = outF[3 * c + 2]!;
        if (!sym) thr[a] = heaps.push(a - r0, s, b);
        else if (a < b) {
          thr[a] = heaps.push(a - r0, s, b);
          thr[b] = heaps.push(b - r0, s, a);
        } else if (a === b) thr[a] = heaps.push(a - r0, s, a);
      }
    }
    strict(i0, i1);
    if (sym) strict(c0 + j0, c0 + Math.min(j1, chunkRows));
  }
}

const blocksOf = (a: number, b: number): Array<[number, number]> => {
  const out: Array<[number, number]> = [];
  for (let s = a; s < b; s += TILE) out.push([s, Math.min(b, s + TILE)]);
  return out;
};

/**
 * The tiles of the chunk [c0, c1) against itself: two blocks pair up once (symmetric), ordered by decreasing
 * (later block, earlier block), so that every row meets the chunk's blocks in decreasing order.
 */
function chunkTiles(c0: number, c1: number): Int32Array {
  const inner = blocksOf(c0, c1);
  const out: number[] = [];
  for (let y = inner.length - 1; y >= 0; y--)
    for (let x = y; x >= 0; x--) out.push(inner[x]![0], inner[x]![1], inner[y]![0] - c0, inner[y]![1] - c0, 1);
  return Int32Array.from(out);
}

/** The tiles of rows [r0, r1) outside the chunk against its blocks, each row block meeting them in decreasing order. */
function outsideTiles(r0: number, r1: number, c0: number, c1: number): Int32Array {
  const inner = blocksOf(c0, c1).reverse();
  const out: number[] = [];
  for (const [i0, i1] of blocksOf(r0, r1)) for (const [j0, j1] of inner) out.push(i0, i1, j0 - c0, j1 - c0, 0);
  return Int32Array.from(out);
}

/** The row groups of a chunk [c0, c1): the rows before it, the chunk, the rows after it (groups of at most `size`). */
function rowGroups(n: number, c0: number, c1: number, size: number): Array<[number, number]> {
  const groups: Array<[number, number]> = [];
  for (let r = 0; r < c0; r += size) groups.push([r, Math.min(c0, r + size)]);
  groups.push([c0, c1]);
  for (let r = c1; r < n; r += size) groups.push([r, Math.min(n, r + size)]);
  return groups;
}

/** Scales each row of a row-major array to unit length in place, exactly as math/similarity.ts's `normalized`. */
function normalizeRows(x: Float32Array, n: number, d: number): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * d;
    for (let j = 0; j < d; j++) s += x[o + j]! * x[o + j]!;
    const inv = 1 / Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < d; j++) x[o + j] = x[o + j]! * inv;
  }
}

/**
 * Each row's top-k (by score, ties by larger id) among the rows of every chunk of `chunkSize` (unit-length rows in the
 * kernel's memory); `visit(r0, heaps)` gets the heaps of rows r0, r0 + 1, … chunk by chunk, in increasing row order.
 * False without WebAssembly SIMD and shared memory.
 */
export function mineChunks(
  e: Matrix,
  topK: number,
  chunkSize: number,
  threads: number,
  runtime: KernelRuntime | undefined,
  visit: (r0: number, heaps: RowHeaps) => void,
): boolean {
  const n = e.rows,
    d = e.cols;
  const maxChunk = Math.min(chunkSize, n);
  const runner = blockingThreads(runtime);
  const nThreads = runner ? Math.max(1, threads) : 1;
  const arena = Arena.create(
    n * d * 4 + blockFloats(maxChunk, d) * 4 + nThreads * ((n + GROUP) * 4 + 4 * TILE * TRIPLE_BYTES),
  );
  if (!arena.memory) return false;
  const rows = arena.f32(n * d);
  rows.view.set(e.data.subarray(0, n * d));
  normalizeRows(rows.view, n, d);
  const blocks = arena.f32(blockFloats(maxChunk, d));
  const thresholds: number[] = [],
    triples: number[] = [];
  for (let t = 0; t < nThreads; t++) {
    thresholds.push(arena.allocBytes((n + GROUP) * 4));
    triples.push(arena.allocBytes(4 * TILE * TRIPLE_BYTES));
  }
  // one set of heaps for every group: at most a chunk of rows per thread
  const heaps = new SharedArrayBuffer(nThreads * RowHeaps.bytes(maxChunk, Math.min(topK, maxChunk)));
  for (let c0 = 0; c0 < n; c0 += chunkSize) {
    const c1 = Math.min(n, c0 + chunkSize);
    const k = Math.min(topK, c1 - c0);
    toBlocks(rows.view, c0, c1 - c0, d, new Float32Array(arena.memory.buffer, blocks.ptr, blockFloats(c1 - c0, d)));
    for (const [r0, r1] of rowGroups(n, c0, c1, maxChunk)) {
      const job: MineJob = {
        type: 'mine',
        memory: arena.memory,
        n,
        d,
        rows: rows.ptr,
        blocks: blocks.ptr,
        c0,
        c1,
        r0,
        r1,
        k,
        tiles: r0 === c0 ? chunkTiles(c0, c1) : outsideTiles(r0, r1, c0, c1),
        control: newControl(),
        heaps,
        thresholds,
        triples,
      };
      if (nThreads > 1) runner!.run(job, nThreads);
      else mineThread(job, 0);
      visit(r0, RowHeaps.mergeThreads(heaps, nThreads, r1 - r0, k));
    }
  }
  return true;
}
