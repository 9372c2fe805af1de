/**
 * The shortest decimal that reads back as the same float32 (JSON output of embeddings); NaN and ±Infinity, which
 * JSON cannot hold (and loading's value checks keep out of embeddings), are written `null`, as JSON.stringify does.
 */
export function formatFloat32(v: number): string {
  if (v === 0) return '0';
  if (!Number.isFinite(v)) return 'null';
  for (let p = 6; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}
