/** The per-line hash of golden id lists (scripts/make-tokenizer-goldens.py): FNV-1a over ids, then the count. */
export function idsHash(ids: ArrayLike<number>, start = 0, end = ids.length): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ ids[i]!, 0x01000193);
  h = Math.imul(h ^ (end - start), 0x01000193);
  return h >>> 0;
}
