/** The shortest decimal that reads back as the same float32 (JSON output of embeddings). */
export function formatFloat32(v: number): string {
  if (v === 0) return '0';
  for (let p = 6; p < 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return String(Number(s));
  }
  return String(Number(v.toPrecision(9)));
}
