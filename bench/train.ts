/**
 * Training throughput, both sides measured by this script on the same batches: MatryoshkaLoss(MNRL) + AdamW steps
 * at batch 1024, dim 256 (dims 32/64/128/256), mBERT vocabulary. First the PyTorch peer — ../shared/tools/peer-train.py
 * itself, run for steps + 1 steps through bench/peers/peer-train-steps.py, which also writes the pairs of those
 * batches — then static-embed's trainers on exactly those pairs. Every side: median over the timed steps after one
 * warm-up step, each step tokenize + loss + gradient + optimizer. Writes the "train" section of bench/RESULTS.md.
 *
 * node dist/bench/train.js [--steps 8] [--batch 1024] [--dim 256] [--threads N] [--python PY]
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism, tmpdir } from 'node:os';
import { Tokenizer } from '../src/node.js';
import { MnrlKernel, sparseFromMap, type SparseGrad } from '../src/train/loss-kernel.js';
import { ThreadedGemmWorkspace } from '../src/entries/train-node.js';
import { matryoshkaMnrl } from '../src/train/loss.js';
import { SparseAdamW } from '../src/train/optimizer.js';
import { machine, median, option, repoRoot, timeChild, writeSection } from './lib.js';

const root = repoRoot();
const shared = process.env.STATIC_EMBED_SHARED ?? join(root, '..', 'shared');
const steps = Number(option('steps', '8')),
  B = Number(option('batch', '1024')),
  dim = Number(option('dim', '256'));
const python = option('python', process.env.STATIC_EMBED_PYTHON ?? '/tmp/static-embed-ref/bin/python')!;
const threads = Number(option('threads', String(availableParallelism())));

// 1. the peer, alone on the machine's cores, on its own data; it leaves the pairs of its batches in `dump`
const dump = join(tmpdir(), `static-embed-train-bench-${process.pid}.jsonl`);
console.log(`PyTorch peer: ${shared}/tools/peer-train.py, ${steps + 1} steps of ${B} …`);
const peerRun = await timeChild(
  python,
  [
    join(root, 'bench', 'peers', 'peer-train-steps.py'),
    join(shared, 'tools', 'peer-train.py'),
    String(steps + 1),
    dump,
  ],
  { ...process.env, B: String(B), DIM: String(dim) },
);
if (peerRun.code !== 0) throw new Error(`the peer failed:\n${peerRun.stderr.slice(-2000)}`);
const peer = JSON.parse(peerRun.stdout.trim().split('\n').pop()!) as {
  step_seconds: number[];
  threads: number;
  torch: string;
  python: string;
  dims: number[];
};
const peerT = median(peer.step_seconds.slice(1));
console.log(`PyTorch peer: ${Math.round(B / peerT)} pairs/s, ${peerT.toFixed(3)} s/step`);

// 2. static-embed on the same pairs, in the same order
const pairs = readFileSync(dump, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { anchor: string; positive: string });
const tok = Tokenizer.fromJSON(readFileSync(join(shared, 'tokenizers', 'mbert-uncased', 'tokenizer.json')));
const dims = [32, 64, 128, 256].filter((d) => d <= dim);
if (dims.join() !== peer.dims.join()) throw new Error(`Matryoshka dims differ: ours ${dims}, the peer's ${peer.dims}`);
type Loss = (
  table: Float32Array,
  batch: { anchors: Uint32Array[]; positives: Uint32Array[] },
) => { loss: number; grads: SparseGrad };
function run(name: string, loss: Loss, n: number): string {
  const table = new Float32Array(tok.vocabSize * dim).map(() => Math.random() - 0.5);
  const opt = new SparseAdamW(table, dim, { lr: 0.2, weightDecay: 0 });
  const times: number[] = [];
  for (let s = 0; s <= n; s++) {
    const batch = pairs.slice(s * B, (s + 1) * B);
    const t0 = performance.now();
    const r = loss(table, {
      anchors: batch.map((p) => tok.encode(p.anchor)),
      positives: batch.map((p) => tok.encode(p.positive)),
    });
    opt.step(r.grads, 0.2);
    if (s > 0) times.push((performance.now() - t0) / 1000);
  }
  const t = median(times);
  console.log(`${name}: ${Math.round(B / t)} pairs/s, ${t.toFixed(3)} s/step`);
  return row(name, t, n);
}
const row = (name: string, t: number, n: number) =>
  `| ${name} | ${Math.round(B / t).toLocaleString('en-US')} | ${t.toFixed(3)} s | ${n} | ${(peerT / t).toFixed(2)}× |`;
const simd = new MnrlKernel(tok.vocabSize, dim),
  plain = new MnrlKernel(tok.vocabSize, dim, 'js');
const ws = new ThreadedGemmWorkspace(threads),
  multi = new MnrlKernel(tok.vocabSize, dim, ws);
const rows = [
  run(`static-embed, ${threads} threads, ${multi.kernel} kernel`, (t, b) => multi.step(t, b, { dims }), steps),
  run(`static-embed, 1 thread, ${simd.kernel} kernel`, (t, b) => simd.step(t, b, { dims }), steps),
  run('static-embed, 1 thread, plain-loop kernel', (t, b) => plain.step(t, b, { dims }), Math.min(steps, 4)),
  run(
    'static-embed, 1 thread, float64 reference loss',
    (t, b) => {
      const r = matryoshkaMnrl(t, dim, b, { dims });
      return { loss: r.loss, grads: sparseFromMap(r.grads, dim) };
    },
    Math.min(steps, 2),
  ),
];
ws.close();
rows.push(row(`PyTorch peer (peer-train.py, ${peer.threads} threads, torch ${peer.torch})`, peerT, steps));
const body = [
  `Batch ${B}, dim ${dim}, Matryoshka dims ${dims.join('/')}, mBERT vocabulary. Both sides in this run on the same ${B * (steps + 1)} pairs (the \
peer's own shuffled training data, batches in the same order): first \`../shared/tools/peer-train.py\` itself (Python ${peer.python}, its tokenization \
` +
    `included, run for ${steps + 1} steps by \`bench/peers/peer-train-steps.py\`), then static-embed. Median over the timed steps after one warm-up \
step; each step tokenize + loss + gradient + optimizer (sparse AdamW for static-embed). ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.`,
  '',
  '| trainer | pairs/s | s/step | timed steps | speed vs PyTorch |',
  '|---|---:|---:|---:|---:|',
  ...rows,
  '',
  `Command: \`node dist/bench/train.js --steps ${steps} --threads ${threads}\``,
].join('\n');
console.log(body);
writeSection('train', body);
rmSync(dump, { force: true });
