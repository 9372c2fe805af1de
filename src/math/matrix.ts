/** A dense row-major matrix over one Float32Array: rows × cols. */
import { StaticEmbedError } from '../errors.js';

export class Matrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float32Array = new Float32Array(rows * cols),
  ) {
    if (data.length !== rows * cols) {
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `Matrix data has ${data.length} values; expected rows × cols = ${rows} × ${cols} = ${rows * cols}.`,
      );
    }
  }

  /** A view of row i (no copy). */
  row(index: number): Float32Array {
    return this.data.subarray(index * this.cols, (index + 1) * this.cols);
  }

  get(row: number, column: number): number {
    return this.data[row * this.cols + column]!;
  }

  /** Rows as plain arrays (for JSON). */
  toArrays(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  static fromArrays(rows: ArrayLike<ArrayLike<number>>): Matrix {
    const n = rows.length;
    const d = n > 0 ? rows[0]!.length : 0;
    const m = new Matrix(n, d);
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      if (r.length !== d)
        throw new StaticEmbedError('INVALID_ARGUMENT', `Row ${i} has ${r.length} values; expected ${d} like row 0.`);
      m.data.set(r, i * d);
    }
    return m;
  }
}
