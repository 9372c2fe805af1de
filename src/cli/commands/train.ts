import { readFileSync } from 'node:fs';
import { StaticEmbedError } from '../../errors.js';
import { parseTable } from '../../formats/table.js';
import { f32Bytes, writeSafetensors } from '../../formats/safetensors-writer.js';
import { loadTokenizer, saveModel } from '../../io.js';
import { Random } from '../../math/random.js';
import { StaticModel } from '../../model.js';
import { pairsOf } from '../../train/data.js';
import { train } from '../../train/trainer.js';
import type { Command } from '../command.js';
import { loadModelArg } from '../model-arg.js';
import { Progress } from '../progress.js';

/** A new model: the tokenizer's vocabulary with a seeded N(0, 1) table of `dim` columns. */
function fromScratch(tokenizerPath: string, dim: number, seed: number): StaticModel {
  const tok = loadTokenizer(tokenizerPath);
  const rows = tok.vocabSize;
  const rng = new Random(seed);
  const table = new Float32Array(rows * dim);
  for (let i = 0; i < table.length; i += 2) {
    const u = rng.next() + 1e-12, v = rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    table[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < table.length) table[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  const st = writeSafetensors({ 'embedding.weight': { dtype: 'F32', shape: [rows, dim], bytes: f32Bytes(table) } });
  const json = readFileSync(tokenizerPath.endsWith('.json') ? tokenizerPath : `${tokenizerPath}/tokenizer.json`);
  return StaticModel.fromParts(json, st, {
    layout: 'sentence-transformers', tokenizer: 'tokenizer.json', weights: 'model.safetensors', tensorNames: ['embedding.weight'],
    profile: 'sentence-transformers', normalize: false, similarityFnName: 'cosine', configFiles: [],
  });
}

export const trainCommand: Command = {
  name: 'train',
  summary: 'Train or fine-tune a static model with MatryoshkaLoss(MultipleNegativesRankingLoss).',
  usage: 'static-embed train --data FILE[,FILE…] --out DIR (--init MODEL | --tokenizer PATH --dim D) [--matryoshka-dims 32,64,…] [--batch-size B] [--lr LR] [--epochs E] [--warmup-ratio R] [--seed S]',
  details: [
    'FILE: .csv/.tsv/.jsonl with columns anchor, positive[, negative] (or the first two or three columns); several files are sampled proportionally.',
    'Defaults follow the seed model\'s recipe: batch 2048, lr 0.2, warmup 0.1, one epoch, batches without duplicate texts.',
    'The result is saved in the sentence-transformers layout.',
  ],
  options: {
    data: { type: 'string' }, out: { type: 'string' }, init: { type: 'string' }, tokenizer: { type: 'string' }, dim: { type: 'string' },
    'matryoshka-dims': { type: 'string' }, 'batch-size': { type: 'string' }, lr: { type: 'string' }, epochs: { type: 'string' },
    'warmup-ratio': { type: 'string' }, seed: { type: 'string' }, quiet: { type: 'boolean' }, model: { type: 'string' },
  },
  async run(args) {
    const data = args.optionalString('data'), out = args.optionalString('out');
    if (!data || !out) throw new StaticEmbedError('INVALID_ARGUMENT', 'static-embed train: --data FILE[,FILE…] and --out DIR are required.');
    const init = args.optionalString('init') ?? args.optionalString('model');
    const seed = args.int('seed', 42, 0);
    let model: StaticModel;
    if (init) {
      args.values.model = init;
      model = await loadModelArg(args);
    } else {
      const tok = args.optionalString('tokenizer');
      if (!tok) throw new StaticEmbedError('INVALID_ARGUMENT', 'static-embed train: give --init MODEL (fine-tune) or --tokenizer PATH --dim D (from scratch).');
      model = fromScratch(tok, args.int('dim', 256), seed);
    }
    const datasets = data.split(',').map((f) => pairsOf(parseTable(readFileSync(f, 'utf8'), f)));
    const dims = args.optionalString('matryoshka-dims')?.split(',').map(Number) ?? [model.dim];
    const lr = Number(args.optionalString('lr') ?? 0.2), warmupRatio = Number(args.optionalString('warmup-ratio') ?? 0.1);
    if (!(lr > 0)) throw new StaticEmbedError('INVALID_ARGUMENT', 'static-embed train: --lr must be a positive number.');
    const progress = Progress.for(undefined, args.boolean('quiet'), 'steps');
    let last = 0;
    const r = train(model, {
      datasets, matryoshkaDims: dims, batchSize: args.int('batch-size', 2048, 2), lr, epochs: args.int('epochs', 1), warmupRatio, seed,
      onStep: (s) => { last = s.loss; progress.update(s.step); },
    });
    progress.done(r.steps);
    saveModel(model, out, { source: init ?? `from scratch (${args.optionalString('tokenizer')}, ${model.dim} dims, seed ${seed})`,
      transformations: [`trained ${r.steps} steps on ${r.pairs.toLocaleString('en-US')} pairs from ${data} (MatryoshkaLoss(MNRL) over dims ${dims.join(', ')}, lr ${lr}, warmup ${warmupRatio}, seed ${seed})`] });
    console.log(`Trained ${r.steps} steps (${r.pairs.toLocaleString('en-US')} pairs, ${Math.round(r.pairs / r.seconds).toLocaleString('en-US')} pairs/s); final loss ${last.toFixed(4)}. Saved ${out}.`);
  },
};
