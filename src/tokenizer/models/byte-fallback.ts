/** Byte fallback (BPE, Unigram): a piece as the ids of its UTF-8 bytes' <0xXX> tokens, if all exist. */
const encoder = new TextEncoder();

export function byteFallbackIds(piece: string, lookup: (token: string) => number | undefined): number[] | undefined {
  const bytes = encoder.encode(piece);
  const ids: number[] = [];
  for (const b of bytes) {
    const id = lookup(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    if (id === undefined) return undefined;
    ids.push(id);
  }
  return ids;
}
