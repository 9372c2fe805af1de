/**
 * Search over 1,000,000 × 256 float32 embeddings (1,000 queries, top-10), side by side in one run:
 * sentence-transformers' util.semantic_search (bench/peers/st_search.py), static-embed's exact VectorIndex
 * search, and its binary + rescore path (recall@10 against exact search). Writes the "search" section of
 * bench/RESULTS.md.
 *
 * node dist/bench/search.js [--models DIR] [--rows N] [--queries N] [--python PY]
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Matrix, VectorIndex, semanticSearch } from '../src/index.js';
import { StaticModel } from '../src/node.js';
import { machine, median, option, repoRoot, timeChild, writeSection } from './lib.js';
import { readFileSync } from 'node:fs';

const root = repoRoot();
const modelsDir = option('models', '/tmp/bench-models')!;
const nRows = Number(option('rows', '1000000')),
  nQueries = Number(option('queries', '1000'));
const python = option('python', '/tmp/static-embed-ref/bin/python')!;
const corpusPath = join(root, '..', 'shared', 'corpus', 'bench-corpus.txt');

function npy(path: string, m: Matrix): void {
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`;
  let header = dict + ' '.repeat(128 - 10 - dict.length - 1) + '\n';
  header = '\x93NUMPY\x01\x00' + String.fromCharCode(118, 0) + header;
  const h = Buffer.from(header, 'latin1');
  writeFileSync(path, Buffer.concat([h, Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength)]));
}

const lines = readFileSync(corpusPath, 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);
/** text k: two corpus lines joined (deterministic), so that the million texts are real-looking and distinct */
const text = (k: number) => `${lines[k % lines.length]!} ${lines[(k * 7919 + 13) % lines.length]!}`;
const model = await StaticModel.fromPretrained(join(modelsDir, 'st-mbert-1024d-f32'), { truncateDim: 256 });
let t = performance.now();
const corpus = new Matrix(nRows, 256);
for (let s = 0; s < nRows; s += 20_000) {
  const batch = Array.from({ length: Math.min(20_000, nRows - s) }, (_, i) => text(s + i));
  corpus.data.set(model.encode(batch, { workers: 2 }).data, s * 256);
}
const queries = model.encode(Array.from({ length: nQueries }, (_, i) => text(nRows + 17 * i + 5)));
await model.close();
console.log(`encoded ${nRows} + ${nQueries} texts in ${((performance.now() - t) / 1000).toFixed(1)} s`);

t = performance.now();
const index = VectorIndex.build(corpus, { int8: true });
const buildS = (performance.now() - t) / 1000;
const time = <T>(fn: () => T): [T, number] => {
  const a = performance.now();
  const r = fn();
  return [r, (performance.now() - a) / 1000];
};
const exactRuns: number[] = [],
  binRuns: number[] = [],
  i8Runs: number[] = [];
let exact: ReturnType<VectorIndex['search']> = [],
  fast: ReturnType<VectorIndex['search']> = [],
  viaInt8: ReturnType<VectorIndex['search']> = [];
for (let r = 0; r < 3; r++) {
  const [e, te] = time(() => index.search(queries, { topK: 10 }));
  const [b, tb] = time(() => index.search(queries, { topK: 10, mode: 'binary', rescore: 10 }));
  const [c, tc] = time(() => index.search(queries, { topK: 10, mode: 'int8', rescore: 10 }));
  exact = e;
  fast = b;
  viaInt8 = c;
  exactRuns.push(te);
  binRuns.push(tb);
  i8Runs.push(tc);
  console.log(
    `run ${r + 1}: exact ${te.toFixed(2)} s, binary + rescore ${tb.toFixed(2)} s, int8 + rescore ${tc.toFixed(2)} s`,
  );
}
const recall = (a: typeof exact, b: typeof exact) => {
  let hit = 0,
    all = 0;
  a.forEach((x, i) => {
    const s = new Set(x.map((h) => h.corpusId));
    hit += b[i]!.filter((h) => s.has(h.corpusId)).length;
    all += x.length;
  });
  return hit / all;
};
const [refSmall, refS] = time(() =>
  semanticSearch(new Matrix(20, 256, queries.data.slice(0, 20 * 256)), corpus, { topK: 10 }),
);
let st: { median_s: number; ids: number[][] } | undefined;
try {
  const cp = join(tmpdir(), 'se-search-corpus.npy'),
    qp = join(tmpdir(), 'se-search-queries.npy');
  npy(cp, corpus);
  npy(qp, queries);
  const x = await timeChild(python, [join(root, 'bench', 'peers', 'st_search.py'), cp, qp, '--threads', '2']);
  if (x.code === 0) st = JSON.parse(x.stdout) as { median_s: number; ids: number[][] };
  else console.log(x.stderr.slice(-600));
} catch (e) {
  console.log(`sentence-transformers peer skipped: ${(e as Error).message}`);
}
const stRecall = st
  ? recall(
      st.ids.map((ids) => ids.map((id) => ({ corpusId: id, score: 0 }))),
      exact,
    )
  : undefined;
const e = median(exactRuns),
  b = median(binRuns);
const body = `## Semantic search over ${nRows.toLocaleString('en-US')} × 256 embeddings (issue 5)

Command: \`npm run build && node dist/bench/search.js --models ${modelsDir}\`. Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.
Corpus: ${nRows.toLocaleString('en-US')} texts (pairs of benchmark-corpus lines) encoded by the 1024-d benchmark model truncated to 256
dimensions; ${nQueries.toLocaleString('en-US')} other texts as queries; top-10 by cosine. Medians of 3 runs (static-embed, one thread).

| what | median s | queries/s | recall@10 vs exact |
|---|---:|---:|---:|
| sentence-transformers \`util.semantic_search\` (torch, 2 threads) | ${st ? st.median_s.toFixed(2) : 'not run'} | ${st ? Math.round(nQueries / st.median_s) : '–'} | ${stRecall !== undefined ? stRecall.toFixed(4) : '–'} |
| static-embed \`VectorIndex\` exact (WebAssembly SIMD, 1 thread) | ${e.toFixed(2)} | ${Math.round(nQueries / e)} | 1 |
| static-embed \`VectorIndex\` binary codes + rescore ×10 (1 thread) | ${b.toFixed(2)} | ${Math.round(nQueries / b)} | ${recall(exact, fast).toFixed(4)} |
| static-embed \`VectorIndex\` int8 codes + rescore ×10 (1 thread) | ${median(i8Runs).toFixed(2)} | ${Math.round(nQueries / median(i8Runs))} | ${recall(exact, viaInt8).toFixed(4)} |
| static-embed \`semanticSearch\` (plain reference loop, 1 thread; 20 queries timed) | ${((refS * nQueries) / 20).toFixed(1)} (extrapolated) | ${Math.round(20 / refS)} | ${recall(exact.slice(0, 20), refSmall).toFixed(4)} |

Binary + rescore is **${(e / b).toFixed(1)}×** faster than our exact search${st ? `; our exact search runs at ${(st.median_s / e).toFixed(2)}× the speed of sentence-transformers' (torch's matrix multiply with 2 threads)` : ''}.
Index build (normalize, copy into WebAssembly memory, sign codes, int8 codes): ${buildS.toFixed(2)} s.`;
console.log(body);
console.log('wrote', writeSection('search', body));
