import { isShared, shareableBuffer } from '../kernels/shareable.js';

/**
 * An open-addressing hash table keyed by UTF-16 code-unit sequences (no strings built): the word cache and
 * the WordPiece vocabulary of the fast path. Keys live in one growable Uint16Array; values are int32.
 */
export const HASH_SEED = 0x811c9dc5;

/** FNV-1a step over one code unit; callers hash incrementally as they scan. */
export function hashStep(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}

export function hashUnits(buf: Uint16Array, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h;
}

/** A table's arrays, copied into SharedArrayBuffers where the runtime has them (read-only once shared). */
export interface CodeUnitTableShared {
  slots: Int32Array;
  keyStart: Uint32Array;
  keyLen: Uint32Array;
  hashes: Int32Array;
  values: Int32Array;
  keys: Uint16Array;
  size: number;
}

function toSab<T extends Int32Array | Uint32Array | Uint16Array>(
  a: T,
  n: number,
  make: (b: ArrayBuffer | SharedArrayBuffer, n: number) => T,
): T {
  const out = make(shareableBuffer(n * a.BYTES_PER_ELEMENT), n);
  out.set(a.subarray(0, n) as never);
  return out;
}

export class CodeUnitTable {
  private slots: Int32Array;
  private mask: number;
  private keyStart: Uint32Array;
  private keyLen: Uint32Array;
  private hashes: Int32Array;
  private values: Int32Array;
  private keys: Uint16Array;
  private keysUsed = 0;
  size = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap <<= 1;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    const n = Math.max(16, expected);
    this.keyStart = new Uint32Array(n);
    this.keyLen = new Uint32Array(n);
    this.hashes = new Int32Array(n);
    this.values = new Int32Array(n);
    this.keys = new Uint16Array(n * 8);
  }

  private shared: CodeUnitTableShared | undefined;

  /**
   * Moves the arrays into SharedArrayBuffers (plain ArrayBuffers where the runtime has none, e.g. a page
   * without cross-origin isolation); a read-only table from then on: no more inserts.
   */
  share(): void {
    if (this.shared) return;
    const s: CodeUnitTableShared = {
      slots: toSab(this.slots, this.slots.length, (b, n) => new Int32Array(b, 0, n)),
      keyStart: toSab(this.keyStart, this.size, (b, n) => new Uint32Array(b, 0, n)),
      keyLen: toSab(this.keyLen, this.size, (b, n) => new Uint32Array(b, 0, n)),
      hashes: toSab(this.hashes, this.size, (b, n) => new Int32Array(b, 0, n)),
      values: toSab(this.values, this.size, (b, n) => new Int32Array(b, 0, n)),
      keys: toSab(this.keys, this.keysUsed, (b, n) => new Uint16Array(b, 0, n)),
      size: this.size,
    };
    this.shared = s;
    this.slots = s.slots;
    this.keyStart = s.keyStart;
    this.keyLen = s.keyLen;
    this.hashes = s.hashes;
    this.values = s.values;
    this.keys = s.keys;
  }

  /** The table's arrays in SharedArrayBuffers, for worker threads (which must not insert into it). */
  toShared(): CodeUnitTableShared {
    this.share();
    return this.shared!;
  }

  static fromShared(s: CodeUnitTableShared): CodeUnitTable {
    const t = new CodeUnitTable(1);
    t.slots = s.slots;
    t.mask = s.slots.length - 1;
    t.keyStart = s.keyStart;
    t.keyLen = s.keyLen;
    t.hashes = s.hashes;
    t.values = s.values;
    t.keys = s.keys;
    t.keysUsed = s.keys.length;
    t.size = s.size;
    // arrays already in shared memory (a worker's, or tokenizer.vocab.bin read into it) are shared as they are
    const arrays = [s.slots, s.keyStart, s.keyLen, s.hashes, s.values, s.keys];
    if (arrays.every((a) => isShared(a))) t.shared = s;
    return t;
  }

  get keyUnits(): number {
    return this.keysUsed;
  }

  /** Value for buf[start, end) with precomputed hash `h`, or -1. */
  get(buf: Uint16Array, start: number, end: number, h: number): number {
    const len = end - start;
    const keys = this.keys;
    let s = (h ^ (h >>> 15)) & this.mask;
    for (;;) {
      const e = this.slots[s]!;
      if (e < 0) return -1;
      if (this.hashes[e] === h && this.keyLen[e] === len) {
        const k = this.keyStart[e]!;
        let i = 0;
        while (i < len && keys[k + i] === buf[start + i]) i++;
        if (i === len) return this.values[e]!;
      }
      s = (s + 1) & this.mask;
    }
  }

  /** Inserts a key that is not present. */
  insert(buf: Uint16Array, start: number, end: number, h: number, value: number): void {
    if (this.shared) throw new Error('CodeUnitTable: a shared table is read-only');
    const len = end - start;
    if (this.keysUsed + len > this.keys.length) {
      const k = new Uint16Array(Math.max(this.keys.length * 2, this.keysUsed + len));
      k.set(this.keys);
      this.keys = k;
    }
    this.keys.set(buf.subarray(start, end), this.keysUsed);
    this.add(this.keysUsed, len, h, value);
  }

  /** Sets key text[a, b) to value (inserting or overwriting, as JSON.parse keeps the last duplicate). */
  setRange(text: string, a: number, b: number, value: number): void {
    const len = b - a;
    if (this.keys.length < this.keysUsed + len) {
      const k = new Uint16Array(Math.max(this.keys.length * 2, this.keysUsed + len));
      k.set(this.keys);
      this.keys = k;
    }
    // stage the key at the end of the arena, then look it up there
    const at = this.keysUsed;
    let h = HASH_SEED;
    for (let i = 0; i < len; i++) {
      const c = text.charCodeAt(a + i);
      this.keys[at + i] = c;
      h = Math.imul(h ^ c, 0x01000193);
    }
    const keys = this.keys;
    let s = (h ^ (h >>> 15)) & this.mask;
    for (;;) {
      const e = this.slots[s]!;
      if (e < 0) break;
      if (this.hashes[e] === h && this.keyLen[e] === len) {
        const k = this.keyStart[e]!;
        let i = 0;
        while (i < len && keys[k + i] === keys[at + i]) i++;
        if (i === len) {
          this.values[e] = value;
          return;
        }
      }
      s = (s + 1) & this.mask;
    }
    this.add(at, len, h, value);
  }

  /** Adds an entry whose key is already at keys[at, at + len). */
  private add(at: number, len: number, h: number, value: number): void {
    if (this.size === this.keyStart.length) this.growEntries();
    if ((this.size + 1) * 2 > this.slots.length) this.growSlots();
    const e = this.size++;
    this.keyStart[e] = at;
    this.keyLen[e] = len;
    this.keysUsed += len;
    this.hashes[e] = h;
    this.values[e] = value;
    this.place(e);
  }

  clear(): void {
    this.slots.fill(-1);
    this.size = 0;
    this.keysUsed = 0;
  }

  private place(e: number): void {
    const h = this.hashes[e]!;
    let s = (h ^ (h >>> 15)) & this.mask;
    while (this.slots[s]! >= 0) s = (s + 1) & this.mask;
    this.slots[s] = e;
  }

  private growEntries(): void {
    const n = this.keyStart.length * 2;
    const grow = <T extends Uint32Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.keyStart = grow(this.keyStart, (k) => new Uint32Array(k));
    this.keyLen = grow(this.keyLen, (k) => new Uint32Array(k));
    this.hashes = grow(this.hashes, (k) => new Int32Array(k));
    this.values = grow(this.values, (k) => new Int32Array(k));
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    for (let e = 0; e < this.size; e++) this.place(e);
  }
}
