/**
 * Paraphrase mining of the benchmark corpus (97,456 lines) with the 32-d benchmark model, side by side in one run:
 * sentence-transformers' util.paraphrase_mining_embeddings (bench/peers/st_mine.py, torch) and static-embed's
 * paraphraseMining on the same embeddings, 2 threads each, top-k 5, max-pairs 100; runs interleaved, medians;
 * the pairs compared. Also the whole `static-embed mine` command once. Writes the "mine" section of bench/RESULTS.md.
 *
 * node dist/bench/mine.js [--models DIR] [--python PY] [--runs N] [--threads T]
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticModel, paraphraseMining } from '../src/node.js';
import { STRICT_INPUT } from '../src/cli/io/input-policy.js';
import { readAllTexts } from '../src/cli/io/texts.js';
import { machine, median, option, repoRoot, timeChild, writeNpy, writeSection } from './lib.js';

const root = repoRoot();
const modelPath = join(option('models', '/tmp/bench-models')!, 'st-mbert-32d-f16');
const python = option('python', '/tmp/static-embed-ref/bin/python')!;
const runs = Number(option('runs', '3')),
  threads = Number(option('threads', '2'));
const corpusPath = join(root, '..', 'shared', 'corpus', 'bench-corpus.txt');
const topK = 5,
  maxPairs = 100;

const texts = await readAllTexts(corpusPath, 'Corpus', STRICT_INPUT);
const model = await StaticModel.fromPretrained(modelPath);
const E = model.encode(texts, { workers: threads });
await model.close();
const npyPath = join(tmpdir(), 'se-mine-embeddings.npy');
writeNpy(npyPath, E);

type Peer = { median_s: number; threads: number; pairs: Array<[number, number, number]> };
const runPeer = async (max: number): Promise<Peer | undefined> => {
  const x = await timeChild(python, [
    join(root, 'bench', 'peers', 'st_mine.py'),
    npyPath,
    '--threads',
    String(threads),
    '--top-k',
    String(topK),
    '--max-pairs',
    String(max),
  ]);
  if (x.code !== 0) {
    console.log(x.stderr.slice(-800));
    return undefined;
  }
  return JSON.parse(x.stdout) as Peer;
};
const timeOurs = (max: number): [ReturnType<typeof paraphraseMining>, number] => {
  const t = performance.now();
  const r = paraphraseMining(E, { topK, maxPairs: max, threads });
  return [r, (performance.now() - t) / 1000];
};
const key = (i: number, j: number) => `${Math.min(i, j)}-${Math.max(i, j)}`;
/** Pairs of the peer also returned by us, among those scoring below `below`; largest score difference on shared pairs. */
function agreement(
  mine: ReturnType<typeof paraphraseMining>,
  peer: Peer,
  below = Infinity,
): { ours: number; theirs: number; shared: number; maxDiff: number } {
  const scoreOf = new Map(mine.filter((p) => p.score < below).map((p) => [key(p.i, p.j), p.score]));
  const theirs = peer.pairs.filter(([s]) => s < below);
  let shared = 0,
    maxDiff = 0;
  for (const [s, i, j] of theirs) {
    const o = scoreOf.get(key(i, j));
    if (o !== undefined) {
      shared++;
      maxDiff = Math.max(maxDiff, Math.abs(o - s));
    }
  }
  return { ours: scoreOf.size, theirs: theirs.length, shared, maxDiff };
}

const ours: number[] = [],
  theirs: number[] = [];
let mine: ReturnType<typeof paraphraseMining> = [];
let peer: Peer | undefined;
for (let r = 0; r < runs; r++) {
  const [m, s] = timeOurs(maxPairs);
  mine = m;
  ours.push(s);
  peer = await runPeer(maxPairs);
  if (!peer) break;
  theirs.push(peer.median_s);
  console.log(`run ${r + 1}: static-embed ${s.toFixed(2)} s, sentence-transformers ${peer.median_s.toFixed(2)} s`);
}
const lowest = (xs: number[]) => Math.min(...xs);
const a = peer ? agreement(mine, peer) : undefined;
// every pair of each side scores at least the other side's lowest score (up to float32 rounding): both are valid top lists
const admissible = peer
  ? mine.every((p) => p.score >= lowest(peer!.pairs.map((x) => x[0])) - 1e-6) &&
    peer.pairs.every(([s]) => s >= lowest(mine.map((p) => p.score)) - 1e-6)
  : false;
// all candidate pairs (max-pairs 500,000): agreement where no tie at score 1 (duplicate texts) makes the choice arbitrary
const [all, allS] = timeOurs(500_000);
const peerAll = await runPeer(500_000);
const b = peerAll ? agreement(all, peerAll, 0.9999) : undefined;
const tied = mine.filter((p) => p.score >= 0.9999).length;
const cli = await timeChild(process.execPath, [
  join(root, 'bin', 'static-embed.js'),
  'mine',
  '--model',
  modelPath,
  '--input',
  corpusPath,
  '--top-k',
  String(topK),
  '--max-pairs',
  String(maxPairs),
  '--threads',
  String(threads),
  '--json',
]);
const o = median(ours),
  p = theirs.length ? median(theirs) : NaN;
const body = `## Paraphrase mining of the benchmark corpus (issue 18)

Command: \`npm run build && node dist/bench/mine.js\`. Machine: ${machine()} (shared with other jobs). Date: ${new Date().toISOString().slice(0, 10)}.
${E.rows.toLocaleString('en-US')} texts encoded by the 32-d benchmark model (st-mbert-32d-f16); top-k ${topK}, max-pairs ${maxPairs}, ${threads} threads each,
medians of ${ours.length} interleaved runs on the same embeddings (the peer times only \`paraphrase_mining_embeddings\`).

| what | median s | speed vs sentence-transformers |
|---|---:|---:|
| sentence-transformers \`util.paraphrase_mining_embeddings\` (torch, ${threads} threads) | ${p.toFixed(2)} | 1 |
| static-embed \`paraphraseMining\` (SIMD kernel, symmetric tiles, ${threads} threads) | ${o.toFixed(2)} | **${(p / o).toFixed(2)}×** |
| same, all candidate pairs (max-pairs 500,000), one run each | ${allS.toFixed(2)} vs ${peerAll ? peerAll.median_s.toFixed(2) : '–'} | \
${peerAll ? (peerAll.median_s / allS).toFixed(2) + '×' : '–'} |
| \`static-embed mine\` command, end to end (load, read, encode, mine, print; ${threads} threads) | ${cli.seconds.toFixed(2)} | – |

Same pairs: with max-pairs ${maxPairs}, ${tied} of our ${mine.length} pairs score 1 ± 1e-4 — duplicate texts, whose choice among thousands of exact ties is
arbitrary on both sides; ${a ? a.shared : '–'} of the peer's ${a ? a.theirs : '–'} pairs are among ours, and ${admissible ? 'every' : 'NOT every'} \
pair of either list scores at least the other
list's lowest score (− 1e-6): both are valid top-${maxPairs} lists. With all candidate pairs, of the pairs below 0.9999 (no duplicate ties) we return
${b ? b.ours.toLocaleString('en-US') : '–'} and the peer ${b ? b.theirs.toLocaleString('en-US') : '–'}, ${b ? b.shared.toLocaleString('en-US') : '–'} \
identical (${b ? ((100 * b.shared) / b.theirs).toFixed(2) : '–'}%; the rest are rows whose k-th neighbour ties or
differs only in float rounding); largest score difference on shared pairs ${b ? b.maxDiff.toExponential(1) : '–'}.`;
console.log(body);
console.log('wrote', writeSection('mine', body));
