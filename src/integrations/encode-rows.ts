/** Shared by the framework adapters: texts → rows as plain number arrays, in batches, on the model's threads. */
import type { EncodeOptions, StaticModel } from '../model/static-model.js';

export interface AdapterOptions {
  /** texts per encode call (default 4096) */
  batchSize?: number;
  /** worker threads of `encodeAsync` (default 0: the calling thread) */
  workers?: number;
}

/** Embeddings of `texts` as number[] rows; `counts` receives each text's token count when given. */
export async function encodeRows(
  model: StaticModel,
  texts: readonly string[],
  options: AdapterOptions & Pick<EncodeOptions, 'truncateDim'> = {},
  counts?: Int32Array,
): Promise<number[][]> {
  const batch = options.batchSize ?? 4096;
  const out: number[][] = [];
  for (let s = 0; s < texts.length; s += batch) {
    const part = texts.slice(s, s + batch);
    const m = await model.encodeAsync(part, {
      workers: options.workers ?? 0,
      ...(options.truncateDim !== undefined ? { truncateDim: options.truncateDim } : {}),
      ...(counts ? { tokenCounts: counts.subarray(s) } : {}),
    });
    for (let i = 0; i < m.rows; i++) out.push(Array.from(m.row(i)));
  }
  return out;
}
