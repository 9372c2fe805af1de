/** A corpus of documents cut into chunks (for search and index build with --chunk), in batches. */
import { chunkTexts, type ChunkOptions } from '../../chunk/chunk.js';
import type { StaticModel } from '../../model/static-model.js';
import { readDocuments } from './documents.js';
import type { InputPolicy } from './input-policy.js';

/** A chunk of a document: where it is (UTF-16 code units) and its text. */
export interface ChunkRow {
  doc: string;
  index: number;
  start: number;
  end: number;
  text: string;
}

/**
 * The chunks of every document of `input` (decoded under `policy`), a batch (about `batchChars` characters of
 * documents) at a time.
 */
export function* chunkedCorpus(
  model: StaticModel,
  input: string,
  policy: InputPolicy,
  options: ChunkOptions,
  field = 'text',
  option = '--input',
  batchChars = 1 << 20,
): Generator<ChunkRow[]> {
  const docs = readDocuments(input, policy, field, option);
  for (let i = 0; i < docs.length;) {
    let j = i,
      chars = 0;
    while (j < docs.length && (j === i || chars < batchChars)) chars += docs[j++]!.text.length;
    const batch = docs.slice(i, j);
    const rows: ChunkRow[] = [];
    chunkTexts(
      model,
      batch.map((d) => d.text),
      options,
    ).forEach((chunks, k) => {
      for (const c of chunks)
        rows.push({ doc: batch[k]!.name, index: c.index, start: c.start, end: c.end, text: c.text });
    });
    yield rows;
    i = j;
  }
}
