/**
 * The fast candidate step of paraphrase mining: every row's top-k neighbours within one corpus chunk, scored by
 * the thresholded SIMD kernel over tiles of (rows × chunk rows). Scores are symmetric, so a tile of two chunk
 * blocks is scored once and feeds both rows' heaps (half the products); each row's threshold (its heap's
 * minimum) lets the kernel drop every score that cannot enter. Threads claim tiles through an atomic counter and
 * keep their own heaps, merged at the end: the result is identical for any number of threads.
 */
import { Arena } from '../kernels/arena.js';
import { GROUP, TRIPLE_BYTES, blockFloats, searchInstance, toBlocks, type ScoresAbove } from '../kernels/scan.js';
import type { Matrix } from '../math/matrix.js';
import { RowHeaps } from '../math/row-heaps.js';
import { blockingKernelThreads, newControl } from './kernel-threads.js';

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
  k: number;
  /** (i0, i1, j0, j1, symmetric) per tile; j in chunk coordinates */
  tiles: Int32Array;
  control: Int32Array;
  /** per thread: RowHeaps storage, thresholds (n + 8 floats) and triple buffer, as byte offsets */
  heaps: SharedArrayBuffer;
  thresholds: number[];
  triples: number[];
}

/** One thread's share of a mining job: claims tiles until none is left. */
export function mineThread(job: MineJob, thread: number): void {
  const { memory, n, d, c0, c1, k, tiles, control } = job;
  const fn = searchInstance(memory).exports.scores_above as ScoresAbove;
  const heaps = RowHeaps.over(job.heaps, thread * RowHeaps.bytes(n, k), n, k);
  heaps.reset();
  const thrPtr = job.thresholds[thread]!,
    outPtr = job.triples[thread]!;
  const thr = new Float32Array(memory.buffer, thrPtr, n + GROUP);
  thr.fill(-Infinity, 0, n);
  thr.fill(Infinity, n);
  const outI = new Int32Array(memory.buffer, outPtr, 4 * TILE * 3);
  const outF = new Float32Array(memory.buffer, outPtr, 4 * TILE * 3);
  const chunkRows = c1 - c0,
    count = tiles.length / 5;
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
        if (!sym) thr[a] = heaps.push(a, s, b);
        else if (a < b) {
          thr[a] = heaps.push(a, s, b);
          thr[b] = heaps.push(b, s, a);
        } else if (a === b) thr[a] = heaps.push(a, s, a);
      }
    }
  }
}

/** Tiles of a chunk [c0, c1): blocks inside the chunk pair up once (symmetric), rows outside meet every block. */
function tilesOf(n: number, c0: number, c1: number): Int32Array {
  const blocks = (a: number, b: number): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    for (let s = a; s < b; s += TILE) out.push([s, Math.min(b, s + TILE)]);
    return out;
  };
  const inner = blocks(c0, c1);
  const out: number[] = [];
  inner.forEach(([i0, i1], a) => {
    for (const [j0, j1] of inner.slice(a)) out.push(i0, i1, j0 - c0, j1 - c0, 1);
  });
  for (const [i0, i1] of [...blocks(0, c0), ...blocks(c1, n)])
    for (const [j0, j1] of inner) out.push(i0, i1, j0 - c0, j1 - c0, 0);
  return Int32Array.from(out);
}

/**
 * Each row's top-k (by score, ties by larger id) among the rows of every chunk of `chunkSize`, rows of `e`
 * unit length; `visit(c0, c1, heaps)` receives each chunk's heaps. Returns false when WebAssembly SIMD with
 * shared memory is missing (the caller then runs the plain loops).
 */
export function mineChunks(
  e: Matrix,
  topK: number,
  chunkSize: number,
  threads: number,
  visit: (c0: number, c1: number, heaps: RowHeaps) => void,
): boolean {
  const n = e.rows,
    d = e.cols;
  const maxChunk = Math.min(chunkSize, n);
  const nThreads = blockingKernelThreads() ? Math.max(1, threads) : 1;
  const arena = Arena.create(
    n * d * 4 + blockFloats(maxChunk, d) * 4 + nThreads * ((n + GROUP) * 4 + 4 * TILE * TRIPLE_BYTES),
  );
  if (!arena.memory) return false;
  const rows = arena.f32(n * d);
  rows.view.set(e.data.subarray(0, n * d));
  const blocks = arena.f32(blockFloats(maxChunk, d));
  const thresholds: number[] = [],
    triples: number[] = [];
  for (let t = 0; t < nThreads; t++) {
    thresholds.push(arena.allocBytes((n + GROUP) * 4));
    triples.push(arena.allocBytes(4 * TILE * TRIPLE_BYTES));
  }
  for (let c0 = 0; c0 < n; c0 += chunkSize) {
    const c1 = Math.min(n, c0 + chunkSize);
    const k = Math.min(topK, c1 - c0);
    toBlocks(e.data, c0, c1 - c0, d, new Float32Array(arena.memory.buffer, blocks.ptr, blockFloats(c1 - c0, d)));
    const heaps = new SharedArrayBuffer(nThreads * RowHeaps.bytes(n, k));
    const job: MineJob = {
      type: 'mine',
      memory: arena.memory,
      n,
      d,
      rows: rows.ptr,
      blocks: blocks.ptr,
      c0,
      c1,
      k,
      tiles: tilesOf(n, c0, c1),
      control: newControl(),
      heaps,
      thresholds,
      triples,
    };
    if (nThreads > 1) blockingKernelThreads()!.run(job, nThreads);
    else mineThread(job, 0);
    visit(c0, c1, RowHeaps.mergeThreads(heaps, nThreads, n, k));
  }
  return true;
}
