/**
 * Training throughput: pairs/s of MatryoshkaLoss(MNRL) + sparse AdamW steps at batch 1024, dim 256 (dims
 * 32/64/128/256), mBERT vocabulary, on stsb-multi-mt train translation pairs; median over timed steps after
 * one warm-up step. The PyTorch peer's number comes from ../shared/tools/peer-train.py (pass --peer PAIRS_PER_S,
 * measured in the same session). Writes the "train" section of bench/RESULTS.md.
 *
 * node dist/bench/train.js [--steps 8] [--batch 1024] [--dim 256] [--threads N] [--peer 4200]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Tokenizer } from '../src/node.js';
import { MnrlKernel, sparseFromMap, type SparseGrad } from '../src/train/loss-kernel.js';
import { ThreadedGemmWorkspace } from '../src/entries/train-node.js';
import { matryoshkaMnrl } from '../src/train/loss.js';
import { SparseAdamW } from '../src/train/optimizer.js';
import { machine, median, option, repoRoot, writeSection } from './lib.js';

const root = repoRoot();
const steps = Number(option('steps', '8')),
  B = Number(option('batch', '1024')),
  dim = Number(option('dim', '256'));
const peer = option('peer');
const tok = Tokenizer.fromJSON(
  readFileSync(join(root, '..', 'shared', 'tokenizers', 'mbert-uncased', 'tokenizer.json')),
);
const col = (l: string) =>
  readFileSync(join(root, '..', 'shared', 'eval', 'stsb-multi-mt', 'data', `stsb-${l}-train.csv`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((r) => r.split(',')[0]!);
const en = col('en'),
  de = col('de');
const size = Math.min(en.length, de.length);
const dims = [32, 64, 128, 256].filter((d) => d <= dim);
type Loss = (
  table: Float32Array,
  batch: { anchors: Uint32Array[]; positives: Uint32Array[] },
) => { loss: number; grads: SparseGrad };
function run(name: string, loss: Loss, n: number): string {
  const table = new Float32Array(tok.vocabSize * dim).map(() => Math.random() - 0.5);
  const opt = new SparseAdamW(table, dim, { lr: 0.2, weightDecay: 0 });
  const times: number[] = [];
  for (let s = 0; s <= n; s++) {
    const idx = Array.from({ length: B }, (_, i) => (s * B + i) % size);
    const t0 = performance.now();
    const r = loss(table, {
      anchors: idx.map((i) => tok.encode(en[i]!)),
      positives: idx.map((i) => tok.encode(de[i]!)),
    });
    opt.step(r.grads, 0.2);
    if (s > 0) times.push((performance.now() - t0) / 1000);
  }
  const t = median(times);
  console.log(`${name}: ${Math.round(B / t)} pairs/s, ${t.toFixed(3)} s/step`);
  return `| ${name} | ${Math.round(B / t).toLocaleString('en-US')} | ${t.toFixed(3)} s |`;
}
const simd = new MnrlKernel(tok.vocabSize, dim),
  plain = new MnrlKernel(tok.vocabSize, dim, 'js');
const threads = Number(option('threads', String(availableParallelism())));
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
if (peer)
  rows.push(
    `| PyTorch peer (peer-train.py, 2 threads) | ${Number(peer).toLocaleString('en-US')} | ${(B / Number(peer)).toFixed(3)} s |`,
  );
const body = [
  `Batch ${B}, dim ${dim}, Matryoshka dims ${dims.join('/')}, mBERT vocabulary; median of ${steps} steps (fewer ` +
    `for the slow rows) after one warm-up step, each tokenize + loss + gradient + sparse AdamW. ${machine()}.`,
  '',
  '| trainer | pairs/s | s/step |',
  '|---|---:|---:|',
  ...rows,
  '',
  ...(peer
    ? [
        "The peer's pairs/s come from `../shared/tools/peer-train.py`'s step log (steps × 1024 pairs " +
          '÷ seconds; its own tokenization included, as ours), run alone just before this benchmark.',
        '',
      ]
    : []),
  `Command: \`node dist/bench/train.js --steps ${steps} --threads ${threads}${peer ? ` --peer ${peer}` : ''}\``,
].join('\n');
console.log(body);
writeSection('train', body);
