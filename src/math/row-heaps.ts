/**
 * One bounded top-k heap per row, flat in two typed arrays, with TopK's order and tie rules.
 * See ARCHITECTURE.md, "Kernels and their layouts".
 */
export class RowHeaps {
  readonly scores: Float64Array;
  readonly ids: Int32Array;
  readonly sizes: Int32Array;

  constructor(
    readonly rows: number,
    readonly k: number,
    storage?: { scores: Float64Array; ids: Int32Array; sizes: Int32Array },
  ) {
    this.scores = storage?.scores ?? new Float64Array(rows * k);
    this.ids = storage?.ids ?? new Int32Array(rows * k);
    this.sizes = storage?.sizes ?? new Int32Array(rows);
  }

  /** Bytes of shared storage for `rows` heaps of `k` (a multiple of 8). */
  static bytes(rows: number, k: number): number {
    return Math.ceil((rows * k * 12 + rows * 4) / 8) * 8;
  }

  /** Heaps over a SharedArrayBuffer slice made by `bytes` (offset a multiple of 8). */
  static over(buffer: SharedArrayBuffer | ArrayBuffer, offset: number, rows: number, k: number): RowHeaps {
    return new RowHeaps(rows, k, {
      scores: new Float64Array(buffer, offset, rows * k),
      ids: new Int32Array(buffer, offset + rows * k * 8, rows * k),
      sizes: new Int32Array(buffer, offset + rows * k * 12, rows),
    });
  }

  reset(): void {
    this.sizes.fill(0);
  }

  /** The smallest kept score of a row (−Infinity while not full). */
  min(row: number): number {
    return this.sizes[row]! < this.k ? -Infinity : this.scores[row * this.k]!;
  }

  /** Pushes (score, id) into a row's heap; returns the row's new minimum. */
  push(row: number, score: number, id: number): number {
    const k = this.k,
      o = row * k,
      sc = this.scores,
      ids = this.ids;
    const size = this.sizes[row]!;
    if (size < k) {
      let i = size;
      this.sizes[row] = size + 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        const ps = sc[o + p]!,
          pi = ids[o + p]!;
        if (!(score < ps || (score === ps && id < pi))) break;
        sc[o + i] = ps;
        ids[o + i] = pi;
        i = p;
      }
      sc[o + i] = score;
      ids[o + i] = id;
      return size + 1 < k ? -Infinity : sc[o]!;
    }
    const s0 = sc[o]!,
      i0 = ids[o]!;
    if (score < s0 || (score === s0 && id <= i0)) return s0;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = -1,
        ms = score,
        mi = id;
      if (l < k && (sc[o + l]! < ms || (sc[o + l] === ms && ids[o + l]! < mi))) {
        m = l;
        ms = sc[o + l]!;
        mi = ids[o + l]!;
      }
      if (r < k && (sc[o + r]! < ms || (sc[o + r] === ms && ids[o + r]! < mi))) {
        m = r;
        ms = sc[o + r]!;
        mi = ids[o + r]!;
      }
      if (m < 0) break;
      sc[o + i] = ms;
      ids[o + i] = mi;
      i = m;
    }
    sc[o + i] = score;
    ids[o + i] = id;
    return sc[o]!;
  }

  /** A row's pairs, highest score first (equal scores: larger id first, as TopK.sorted). */
  sorted(row: number): Array<{ id: number; score: number }> {
    const out: Array<{ id: number; score: number }> = [];
    const o = row * this.k;
    for (let i = 0; i < this.sizes[row]!; i++) out.push({ id: this.ids[o + i]!, score: this.scores[o + i]! });
    return out.sort((a, b) => b.score - a.score || b.id - a.id);
  }

  /** Pushes every pair of another set's row into this one's (merging threads' heaps). */
  mergeRow(row: number, other: RowHeaps): void {
    const o = row * other.k;
    for (let i = 0; i < other.sizes[row]!; i++) this.push(row, other.scores[o + i]!, other.ids[o + i]!);
  }

  /** The heaps of `threads` threads laid out one after another by `bytes` in `buffer`, merged into the first. */
  static mergeThreads(buffer: SharedArrayBuffer | ArrayBuffer, threads: number, rows: number, k: number): RowHeaps {
    const merged = RowHeaps.over(buffer, 0, rows, k);
    for (let t = 1; t < threads; t++) {
      const other = RowHeaps.over(buffer, t * RowHeaps.bytes(rows, k), rows, k);
      for (let i = 0; i < rows; i++) merged.mergeRow(i, other);
    }
    return merged;
  }
}
