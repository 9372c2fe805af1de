/**
 * The LanceDB store on the benchmark corpus (97,456 lines, 32-d benchmark model): `static-embed index build`
 * (time, peak RSS, size on disk), then queries through the IVF-PQ index (latency p50/p99, recall@10 against
 * LanceDB's exact search of the same table). Writes the "lancedb" section of bench/RESULTS.md.
 *
 * node dist/bench/lancedb.js [--models DIR] [--queries N]
 */
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, searchStore } from '../src/entries/lancedb-node.js';
import { ANN_SEARCH } from '../src/runtime/node/lancedb/store.js';
import { machine, option, repoRoot, timeChild, writeSection } from './lib.js';

const root = repoRoot();
const modelPath = join(option('models', '/tmp/bench-models')!, 'st-mbert-32d-f16');
const nQueries = Number(option('queries', '200'));
const corpus = join(root, '..', 'shared', 'corpus', 'bench-corpus.txt');
const db = join(tmpdir(), 'se-bench-lancedb');
rmSync(db, { recursive: true, force: true });
const bin = join(root, 'bin', 'static-embed.js');
const build = await timeChild(process.execPath, [
  bin,
  'index',
  'build',
  '--model',
  modelPath,
  '--input',
  corpus,
  '--db',
  db,
  '--quiet',
  '--json',
]);
if (build.code !== 0) throw new Error(build.stderr);
const built = JSON.parse(build.stdout) as { rows: number; ann_index: boolean };
const info = JSON.parse((await timeChild(process.execPath, [bin, 'index', 'info', '--db', db, '--json'])).stdout) as {
  disk_bytes: number;
};
const lines = readFileSync(corpus, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '');
const queries = Array.from({ length: nQueries }, (_, i) => lines[(i * 7919 + 101) % lines.length]!);
const table = await openStore({ db });
await searchStore(table, queries[0]!, { db, topK: 10 }); // warm-up
const lat: number[] = [];
let hit = 0,
  tied = 0;
for (const q of queries) {
  const t = performance.now();
  const ann = await searchStore(table, q, { db, topK: 10 });
  lat.push(performance.now() - t);
  const exactHits = await searchStore(table, q, { db, topK: 10, exact: true });
  const exact = new Set(exactHits.map((h) => h.id));
  hit += ann.filter((h) => exact.has(h.id)).length;
  // a hit as good as the exact 10th (duplicate texts tie at the same score) is a correct neighbour too
  const kth = exactHits[exactHits.length - 1]!.score;
  tied += ann.filter((h) => exact.has(h.id) || h.score >= kth - 1e-6).length;
}
lat.sort((a, b) => a - b);
const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]!;
const tiedLabel =
  "recall@10 of the ANN search vs LanceDB's exact search (neighbours scoring ≥ the exact 10th count: duplicate texts tie)";
const body = `## LanceDB store of the benchmark corpus (issue 18)

Command: \`npm run build && node dist/bench/lancedb.js\`. Machine: ${machine()} (shared with other jobs). Date: ${new Date().toISOString().slice(0, 10)}.
\`static-embed index build\` of the benchmark corpus (32-d benchmark model, all cores) into a LanceDB folder; ${nQueries} corpus lines as queries, top-10.

| what | value |
|---|---:|
| rows | ${built.rows.toLocaleString('en-US')} |
| build time (read, embed, write, IVF-PQ index; whole command) | ${build.seconds.toFixed(1)} s |
| build peak RSS | ${build.peakRssMb.toFixed(0)} MB |
| size on disk (data + index) | ${(info.disk_bytes / 2 ** 20).toFixed(1)} MB |
| ANN index | ${built.ann_index ? 'IVF-PQ (cosine, √rows / 5 partitions, 8 sub-vectors)' : 'none'} |
| query latency p50 (embed the query + IVF-PQ, ${ANN_SEARCH.nprobes} probes, refine ×${ANN_SEARCH.refine}) | ${pct(50).toFixed(1)} ms |
| query latency p99 | ${pct(99).toFixed(1)} ms |
| ${tiedLabel} | ${(tied / (10 * nQueries)).toFixed(4)} |
| same, counting only the exact search's own ids (ties between duplicates counted as misses) | ${(hit / (10 * nQueries)).toFixed(4)} |`;
console.log(body);
console.log('wrote', writeSection('lancedb', body));
