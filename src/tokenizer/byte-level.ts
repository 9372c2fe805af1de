/** GPT-2's byte-level alphabet: every UTF-8 byte as one printable character. */
let table: string[] | undefined;

function bytesToChars(): string[] {
  if (table) return table;
  const t: string[] = new Array<string>(256);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    t[b] = String.fromCodePoint(printable ? b : 256 + n++);
  }
  table = t;
  return t;
}

const encoder = new TextEncoder();

export function byteLevelEncode(s: string): string {
  const t = bytesToChars();
  let out = '';
  for (const b of encoder.encode(s)) out += t[b]!;
  return out;
}
