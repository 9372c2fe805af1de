/** A growable Uint32Array of token ids: the output of a batch, one flat buffer. */
export class IdBuffer {
  data: Uint32Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Uint32Array(capacity);
  }
  push(id: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = id;
  }
  pushAll(ids: Uint32Array | readonly number[], start = 0, end = ids.length): void {
    const n = end - start;
    if (this.length + n > this.data.length) this.grow(this.length + n);
    const d = this.data;
    let k = this.length;
    for (let i = start; i < end; i++) d[k++] = ids[i]!;
    this.length = k;
  }
  grow(min: number): void {
    let cap = this.data.length * 2;
    while (cap < min) cap *= 2;
    const d = new Uint32Array(cap);
    d.set(this.data.subarray(0, this.length));
    this.data = d;
  }
  /** A right-sized copy. */
  toArray(): Uint32Array {
    return this.data.slice(0, this.length);
  }
}
