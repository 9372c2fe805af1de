import { createReadStream } from 'node:fs';

/** Number of texts in an input file without decoding it: lines (jsonl: non-blank lines). */
export async function countTexts(path: string): Promise<number> {
  const jsonl = path.endsWith('.jsonl');
  let n = 0,
    lineHasText = false,
    last = 10;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === 10) {
        if (!jsonl || lineHasText) n++;
        lineHasText = false;
      } else if (c > 32) lineHasText = true;
      last = c;
    }
  }
  if (last !== 10 && (!jsonl || lineHasText)) n++;
  return n;
}
