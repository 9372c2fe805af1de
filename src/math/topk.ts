/**
 * A bounded min-heap of (score, id) pairs: keeps the k largest, ordered like Python's heapq over (score, id)
 * tuples (a smaller id is the smaller pair at equal scores), so ties resolve as in sentence-transformers.
 */
export class TopK {
  private readonly scores: Float64Array;
  private readonly ids: Int32Array;
  size = 0;

  constructor(readonly k: number) {
    this.scores = new Float64Array(Math.max(1, k));
    this.ids = new Int32Array(Math.max(1, k));
  }

  private less(i: number, j: number): boolean {
    const a = this.scores[i]!,
      b = this.scores[j]!;
    return a < b || (a === b && this.ids[i]! < this.ids[j]!);
  }

  private swap(i: number, j: number): void {
    const s = this.scores[i]!,
      d = this.ids[i]!;
    this.scores[i] = this.scores[j]!;
    this.ids[i] = this.ids[j]!;
    this.scores[j] = s;
    this.ids[j] = d;
  }

  /** The smallest kept score (−Infinity while not full). */
  get min(): number {
    return this.size < this.k ? -Infinity : this.scores[0]!;
  }

  push(score: number, id: number): void {
    if (this.k === 0) return;
    if (this.size < this.k) {
      let i = this.size++;
      this.scores[i] = score;
      this.ids[i] = id;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!this.less(i, p)) break;
        this.swap(i, p);
        i = p;
      }
      return;
    }
    // heappushpop: replace the root when the new pair is larger
    const s0 = this.scores[0]!,
      i0 = this.ids[0]!;
    if (score < s0 || (score === s0 && id <= i0)) return;
    this.scores[0] = score;
    this.ids[0] = id;
    for (let i = 0; ;) {
      const l = 2 * i + 1,
        r = l + 1;
      let m = i;
      if (l < this.size && this.less(l, m)) m = l;
      if (r < this.size && this.less(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
  }

  /** The kept pairs, highest score first (equal scores: larger id first, as a reverse sort of the pairs). */
  sorted(): Array<{ id: number; score: number }> {
    const out: Array<{ id: number; score: number }> = [];
    for (let i = 0; i < this.size; i++) out.push({ id: this.ids[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || b.id - a.id);
  }
}
