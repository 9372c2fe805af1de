/**
 * The LanceDB path of bench/search.ts: the same float32 vectors written into a LanceDB table on disk (an id column
 * and a 256-wide FixedSizeList vector, straight from the Float32Array through Arrow, no copy per row), the IVF-PQ
 * index `static-embed index build` creates (createAnnIndex: cosine, √rows / 5 partitions, 4 dimensions per
 * sub-vector), then the same queries through it (`index search`'s probes and refine, top-10, one query at a time): latency
 * p50/p99, queries/s, and recall@10 against static-embed's exact search of the same vectors.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@lancedb/lancedb';
import { Field, FixedSizeList, Float32, Int32, RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';
import type { Matrix } from '../src/math/matrix.js';
import type { SearchHit } from '../src/tasks/search.js';
import { ANN_SEARCH, createAnnIndex, diskBytes } from '../src/runtime/node/lancedb/store.js';

export interface LanceRow {
  writeS: number;
  indexS: number;
  diskMb: number;
  partitions: number;
  subVectors: number;
  p50Ms: number;
  p99Ms: number;
  queriesPerS: number;
  /** hits that are exact top-10 ids, or score (recomputed exactly) at least the exact 10th: duplicates tie */
  recallTied: number;
  /** hits that are exact top-10 ids only */
  recallIds: number;
}

/** Arrow batch of rows [s, e) of the corpus: id (the row number) and vector. */
function batch(c: Matrix, s: number, e: number, schema: Schema): RecordBatch {
  const d = c.cols,
    n = e - s;
  const vecType = schema.fields[1]!.type as FixedSizeList;
  const child = makeData({ type: new Float32(), length: n * d, data: c.data.subarray(s * d, e * d) });
  const vectors = makeData({ type: vecType, length: n, nullCount: 0, child });
  const ids = makeData({ type: new Int32(), length: n, data: Int32Array.from({ length: n }, (_, i) => s + i) });
  const rows = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children: [ids, vectors] });
  return new RecordBatch(schema, rows);
}

export async function lancedbRow(corpus: Matrix, queries: Matrix, exact: SearchHit[][]): Promise<LanceRow> {
  const n = corpus.rows,
    d = corpus.cols;
  const dir = join(tmpdir(), 'se-bench-search-lancedb');
  rmSync(dir, { recursive: true, force: true });
  const schema = new Schema([
    new Field('id', new Int32(), false),
    new Field('vector', new FixedSizeList(d, new Field('item', new Float32(), true)), false),
  ]);
  let t = performance.now();
  const conn = await connect(dir);
  const step = 100_000;
  const table = await conn.createTable('vectors', new Table([batch(corpus, 0, Math.min(n, step), schema)]));
  for (let s = step; s < n; s += step) await table.add(new Table([batch(corpus, s, Math.min(n, s + step), schema)]));
  const writeS = (performance.now() - t) / 1000;
  t = performance.now();
  await createAnnIndex(table, n);
  const indexS = (performance.now() - t) / 1000;
  const search = async (i: number): Promise<number[]> => {
    const rows = (await table
      .vectorSearch(queries.data.subarray(i * d, (i + 1) * d))
      .distanceType('cosine')
      .nprobes(ANN_SEARCH.nprobes)
      .refineFactor(ANN_SEARCH.refine)
      .limit(10)
      .select(['id', '_distance'])
      .toArray()) as Array<{ id: number }>;
    return rows.map((r) => Number(r.id));
  };
  await search(0); // warm-up
  const lat: number[] = [];
  const got: number[][] = [];
  const t0 = performance.now();
  for (let i = 0; i < queries.rows; i++) {
    const a = performance.now();
    got.push(await search(i));
    lat.push(performance.now() - a);
  }
  const totalS = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!;
  // recall: a hit counts when it is one of the exact ids, or (tie-aware) when its cosine, recomputed in float64
  // from the same vectors, is at least the exact 10th's minus 1e-6 (texts repeated in the corpus tie)
  const cos = (i: number, id: number): number => {
    let dot = 0,
      qq = 0,
      cc = 0;
    for (let j = 0; j < d; j++) {
      const a = queries.data[i * d + j]!,
        b = corpus.data[id * d + j]!;
      dot += a * b;
      qq += a * a;
      cc += b * b;
    }
    return dot / Math.sqrt(qq * cc);
  };
  let ids = 0,
    tied = 0;
  got.forEach((hits, i) => {
    const want = new Set(exact[i]!.map((h) => h.corpusId));
    const kth = Math.min(...exact[i]!.map((h) => cos(i, h.corpusId)));
    for (const id of hits) {
      if (want.has(id)) ids++;
      if (want.has(id) || cos(i, id) >= kth - 1e-6) tied++;
    }
  });
  const diskMb = diskBytes(dir)! / 2 ** 20;
  rmSync(dir, { recursive: true, force: true });
  return {
    writeS,
    indexS,
    diskMb,
    partitions: Math.max(1, Math.round(Math.sqrt(n) / 5)),
    subVectors: Math.max(1, Math.floor(d / 4)),
    p50Ms: pct(50),
    p99Ms: pct(99),
    queriesPerS: queries.rows / totalS,
    recallTied: tied / (10 * queries.rows),
    recallIds: ids / (10 * queries.rows),
  };
}
