import { printLine } from '../io/stdout.js';
import { availableParallelism } from 'node:os';
import { paraphraseMining } from '../../runtime/node/api.js';
import type { Command } from '../command.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg } from '../model-arg.js';
import { alignRight, maxWidth, padEndToWidth } from '../io/display-width.js';
import { clip, readNonEmptyTexts, skippedNote } from '../io/texts.js';

export const mine: Command = {
  name: 'mine',
  summary: 'Paraphrase mining: the most similar pairs of texts in a file.',
  usage: 'static-embed mine [--model M] [--input FILE] [--top-k K] [--threshold S] [--max-pairs N] [--json]',
  details: [
    '--input FILE: one text per line (default: stdin). --top-k: candidates per text (default 100); --threshold: minimum cosine similarity (default none).',
    '--max-pairs N: at most N pairs, the most similar ones (default 500000).',
    '--json: [{"score", "i", "j", "a", "b"}] with 0-based line indices. Blank lines are skipped (reported on stderr with --json).',
    '--threads N: threads for encoding and scoring (default: all cores).',
    'Memory, for n texts of dimension d: the texts, their embeddings twice (4·n·d bytes each: as encoded, and unit ' +
      "length for the kernel), each text's K + 1 best candidates for at most 100,000 texts at a time (12·(K + 1) bytes " +
      'per text per thread: 121 MB per thread at K = 100), and the candidate pairs (at most 2 · --max-pairs + 1, about 100 bytes each). ' +
      'Time grows with n² (every pair is scored).',
    ...INPUT_HELP,
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS,
    ...INPUT_OPTIONS,
    input: { type: 'string' },
    'top-k': { type: 'string' },
    threshold: { type: 'string' },
    'max-pairs': { type: 'string' },
    json: { type: 'boolean' },
    threads: { type: 'string' },
  },
  async run(args) {
    const threshold = args.number('threshold', { min: -1, max: 1 }) ?? -Infinity;
    const topK = args.int('top-k', 100),
      maxPairs = args.int('max-pairs', 500_000),
      threads = args.int('threads', availableParallelism());
    const model = await loadModelArg(args);
    const input = args.optionalString('input');
    const r = await readNonEmptyTexts(input, '--input', args.inputPolicy);
    const { texts, lineOf } = r;
    const note = skippedNote(r, input);
    const pairs = paraphraseMining(model.encode(texts, { workers: threads }), {
      topK,
      limit: maxPairs,
      threads,
    }).filter((p) => p.score >= threshold);
    if (args.boolean('json')) {
      printLine(
        JSON.stringify(
          pairs.map((p) => ({
            score: Number(p.score.toFixed(6)),
            i: lineOf[p.i],
            j: lineOf[p.j],
            a: texts[p.i],
            b: texts[p.j],
          })),
        ),
      );
      if (note) console.error(note);
      return;
    }
    // the first text of each pair is a column (padded in terminal columns), so the second ones line up
    const scores = alignRight(pairs.map((p) => p.score.toFixed(4)));
    const left = pairs.map((p) => `[${lineOf[p.i]! + 1}] ${clip(texts[p.i]!, 50)}`);
    const leftWidth = maxWidth(left);
    const out =
      pairs.length === 0
        ? [`No pairs${threshold > -Infinity ? ` with similarity >= ${threshold}` : ''}.`]
        : pairs.map(
            (p, k) =>
              `${scores[k]!}  ${padEndToWidth(left[k]!, leftWidth)}  <->  [${lineOf[p.j]! + 1}] ${clip(texts[p.j]!, 50)}`,
          );
    if (note) out.push(note);
    printLine(out.join('\n'));
  },
};
