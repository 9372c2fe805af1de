/**
 * The rows a quick evaluation scores: a seeded random sample, the same rows on every run.
 * See ARCHITECTURE.md, "Tasks and evaluation".
 */
import { StaticEmbedError } from '../errors.js';
import { Random } from '../math/random.js';
import type { EvalItem } from './task.js';

/** `static-embed eval --quick`: at most this many rows per item, chosen with this seed. */
export const QUICK_SUBSET = { rows: 400, seed: 42 } as const;

const pick = <T>(xs: readonly T[], idx: readonly number[]): T[] => idx.map((i) => xs[i]!);

function aligned(it: EvalItem, what: string, n: number, expected: number): void {
  if (n !== expected)
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${it.task} ${it.subset} (${it.split}): ${expected} rows but ${n} ${what}; the arrays must be row-aligned.`,
    );
}

/**
 * At most `rows` rows of `it`, drawn with `seed` (deterministic: the indices depend only on the seed and the row
 * count, so items of equal length — translations of one test set — get the same rows), in their original order.
 */
export function sampleItem(it: EvalItem, rows: number, seed: number): EvalItem {
  if (it.type === 'classification') {
    aligned(it, 'train labels', it.trainLabels?.length ?? -1, it.a.length);
    aligned(it, 'test labels', it.testLabels?.length ?? -1, it.b.length);
    const tr = new Random(seed).sample(it.a.length, rows),
      te = new Random(seed).sample(it.b.length, rows);
    return {
      ...it,
      a: pick(it.a, tr),
      b: pick(it.b, te),
      trainLabels: pick(it.trainLabels!, tr),
      testLabels: pick(it.testLabels!, te),
    };
  }
  const n = it.a.length;
  aligned(it, 'second texts', it.b.length, n);
  if (it.scores) aligned(it, 'scores', it.scores.length, n);
  if (it.reverse) {
    aligned(it, 'reversed first texts', it.reverse.a.length, n);
    aligned(it, 'reversed second texts', it.reverse.b.length, n);
  }
  const idx = new Random(seed).sample(n, rows);
  return {
    ...it,
    a: pick(it.a, idx),
    b: pick(it.b, idx),
    ...(it.scores ? { scores: pick(it.scores, idx) } : {}),
    ...(it.reverse ? { reverse: { a: pick(it.reverse.a, idx), b: pick(it.reverse.b, idx) } } : {}),
  };
}
