import { availableParallelism } from 'node:os';
import { paraphraseMining } from '../../tasks/mining.js';
import type { Command } from '../command.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg } from '../model-arg.js';
import { clip, numberArg, readAllTexts } from '../texts.js';

export const mine: Command = {
  name: 'mine',
  summary: 'Paraphrase mining: the most similar pairs of texts in a file.',
  usage: 'static-embed mine --model M --input FILE [--top-k K] [--threshold S] [--max-pairs N] [--json]',
  details: ['--top-k: candidates per text (default 100); --threshold: minimum cosine similarity (default none); --max-pairs (default 500000).', '--json: [{"score", "i", "j", "a", "b"}] with 0-based line indices.', '--threads N: threads for encoding and scoring (default: all cores).', ...MODEL_HELP],
  options: { ...MODEL_OPTIONS, input: { type: 'string' }, 'top-k': { type: 'string' }, threshold: { type: 'string' }, 'max-pairs': { type: 'string' }, json: { type: 'boolean' }, threads: { type: 'string' } },
  async run(args) {
    const threshold = numberArg(args.optionalString('threshold'), 'threshold', 'mine', -1, 1) ?? -Infinity;
    const topK = args.int('top-k', 100), maxPairs = args.int('max-pairs', 500_000), threads = args.int('threads', availableParallelism());
    const model = await loadModelArg(args);
    const texts = await readAllTexts(args.optionalString('input'), 'Input');
    const pairs = paraphraseMining(model.encode(texts, { workers: threads }), { topK, maxPairs, threads }).filter((p) => p.score >= threshold);
    if (args.boolean('json')) {
      console.log(JSON.stringify(pairs.map((p) => ({ score: Number(p.score.toFixed(6)), i: p.i, j: p.j, a: texts[p.i], b: texts[p.j] }))));
      return;
    }
    if (pairs.length === 0) { console.log(`No pairs${threshold > -Infinity ? ` with similarity >= ${threshold}` : ''}.`); return; }
    console.log(pairs.map((p) => `${p.score.toFixed(4)}  [${p.i + 1}] ${clip(texts[p.i]!, 50)}  <->  [${p.j + 1}] ${clip(texts[p.j]!, 50)}`).join('\n'));
  },
};
