/**
 * Training data: (anchor, positive[, negative]) rows from TSV/CSV/JSONL files, batched and seeded.
 * See ARCHITECTURE.md, "Training math".
 */
import { StaticEmbedError } from '../errors.js';
import { Random } from '../math/random.js';
import type { Table } from '../formats/table.js';

export interface Pair {
  anchor: string;
  positive: string;
  negative?: string;
}

/** Rows of a table: columns anchor/positive[/negative], or else the first two (three) columns. */
export function pairsOf(table: Table): Pair[] {
  const cols = table.columns;
  const [a, p, n] =
    cols.includes('anchor') && cols.includes('positive')
      ? ['anchor', 'positive', cols.includes('negative') ? 'negative' : undefined]
      : [cols[0], cols[1], cols[2]];
  if (!a || !p)
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${table.file}: training data needs columns anchor and positive (and optionally negative), or at least two columns; found ${cols.join(', ') || 'none'}.`,
    );
  return table.records.map((r) => {
    const av = r.values[a],
      pv = r.values[p],
      nv = n ? r.values[n] : undefined;
    if (typeof av !== 'string' || typeof pv !== 'string' || av === '' || pv === '')
      throw new StaticEmbedError('INVALID_INPUT', `${table.file}:${r.line}: "${a}" and "${p}" must be non-empty text.`);
    return typeof nv === 'string' && nv !== ''
      ? { anchor: av, positive: pv, negative: nv }
      : { anchor: av, positive: pv };
  });
}

/**
 * One epoch of batches: datasets interleaved proportionally (each batch from one dataset, as the seed's recipe
 * does), rows shuffled, and a row whose texts already occur in the batch deferred to a later batch.
 */
export function epochBatches(datasets: Pair[][], batchSize: number, rng: Random): Pair[][] {
  return sourcedEpochBatches(datasets, batchSize, rng).map((b) => b.pairs);
}

/** A batch and the index of the dataset it was drawn from. */
export interface SourcedBatch {
  dataset: number;
  pairs: Pair[];
}

/** {@link epochBatches} with each batch's dataset (the same batches for the same random state). */
export function sourcedEpochBatches(datasets: Pair[][], batchSize: number, rng: Random): SourcedBatch[] {
  const queues = datasets.map((d) => {
    const idx = Array.from({ length: d.length }, (_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    return idx.map((i) => d[i]!);
  });
  const heads = queues.map(() => 0);
  const batches: SourcedBatch[] = [];
  for (;;) {
    const left = queues.map((q, i) => q.length - heads[i]!);
    const total = left.reduce((a, b) => a + b, 0);
    if (total === 0) break;
    let r = rng.next() * total,
      k = 0;
    while (r >= left[k]!) {
      r -= left[k]!;
      k++;
    }
    const q = queues[k]!;
    let head = heads[k]!;
    const batch: Pair[] = [],
      seen = new Set<string>(),
      deferred: Pair[] = [];
    while (batch.length < batchSize && head < q.length) {
      const row = q[head++]!;
      const texts = [row.anchor, row.positive, ...(row.negative ? [row.negative] : [])];
      if (texts.some((t) => seen.has(t))) {
        deferred.push(row);
        continue;
      }
      for (const t of texts) seen.add(t);
      batch.push(row);
    }
    // deferred rows go back to the front of the queue, in order (they occupy slots already consumed)
    head -= deferred.length;
    for (let i = 0; i < deferred.length; i++) q[head + i] = deferred[i]!;
    heads[k] = head;
    if (batch.length < 2) {
      heads[k] = q.length;
      continue;
    } // a batch needs in-batch negatives
    batches.push({ dataset: k, pairs: batch });
  }
  return batches;
}
