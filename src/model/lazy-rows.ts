/** Table rows read from the model file on first use, in blocks (as a memory-mapped file is paged in). */

/** Where the rows come from: `fill` writes rows [r0, r1) of the table in place; `release` closes the file. */
export interface RowSource {
  fill(r0: number, r1: number): void;
  release(): void;
}

/** Rows per block: 64 rows of a 256-dim int8 table are 16 KiB, one read. */
const BLOCK_SHIFT = 6;

// a model dropped before all of its rows were read closes its file when it is collected
const unreachable = new FinalizationRegistry<RowSource>((source) => source.release());

/**
 * The rows of a table not yet read: `ensure` reads the blocks of the given rows, `ensureAll` the rest. Once every
 * block is in, the file is closed and both calls return at once.
 */
export class LazyRows {
  private readonly loaded: Uint8Array;
  private missing: number;
  private source: RowSource | undefined;

  constructor(
    private readonly rows: number,
    source: RowSource,
  ) {
    this.missing = Math.ceil(rows / (1 << BLOCK_SHIFT));
    this.loaded = new Uint8Array(this.missing);
    this.source = source;
    unreachable.register(this, source, this);
  }

  /** Whether every row is in memory. */
  get complete(): boolean {
    return this.missing === 0;
  }

  /** Reads the blocks holding rows ids[0, n) (rows outside the table are left to the caller's checks). */
  ensure(ids: ArrayLike<number>, n: number): void {
    if (this.missing === 0) return;
    const loaded = this.loaded;
    for (let i = 0; i < n; i++) {
      const b = ids[i]! >>> BLOCK_SHIFT;
      if (loaded[b] === 0) this.load(b);
    }
  }

  /** Reads every block not read yet. */
  ensureAll(): void {
    for (let b = 0; this.missing > 0 && b < this.loaded.length; b++) if (this.loaded[b] === 0) this.load(b);
  }

  private load(b: number): void {
    const r0 = b << BLOCK_SHIFT;
    this.source!.fill(r0, Math.min(this.rows, r0 + (1 << BLOCK_SHIFT)));
    this.loaded[b] = 1;
    if (--this.missing === 0) {
      unreachable.unregister(this);
      this.source!.release();
      this.source = undefined;
    }
  }
}
