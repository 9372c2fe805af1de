import { StaticEmbedError } from '../../errors.js';
import { SIMILARITY_FNS, type SimilarityFn } from '../../math/similarity.js';
import type { Command } from '../command.js';
import { displayWidth, fitToWidth } from '../io/display-width.js';
import { printLine } from '../io/stdout.js';
import { flatten } from '../io/texts.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg } from '../model-arg.js';

export const similarity: Command = {
  name: 'similarity',
  summary: 'Similarity matrix of texts given on the command line, as a readable table.',
  usage: 'static-embed similarity [--model M] "text a" "text b" ... [--fn cosine|dot|euclidean|manhattan] [--json]',
  details: [
    "--fn: similarity function (default: the model's, usually cosine).",
    '--json: print {"texts": [...], "similarity": [[...]]}.',
    ...MODEL_HELP,
  ],
  options: { ...MODEL_OPTIONS, fn: { type: 'string' }, json: { type: 'boolean' } },
  operands: 'TEXT',
  async run(args) {
    const texts = args.positionals;
    // one text would only give a 1 × 1 table of itself
    if (texts.length < 2)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `give two or more texts to compare, got ${texts.length === 0 ? 'none' : `one (${JSON.stringify(texts[0])})`}; ` +
          'e.g. static-embed similarity --model M "I love it" "I like it" (to embed one text: static-embed encode).',
      );
    const fnArg = args.optionalString('fn');
    if (fnArg !== undefined && !SIMILARITY_FNS.includes(fnArg as SimilarityFn)) {
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `--fn must be one of ${SIMILARITY_FNS.join(', ')}, got "${fnArg}".`,
      );
    }
    const model = await loadModelArg(args);
    // a text with no known token embeds as zeros (empty) or as the unknown token alone: its scores mean nothing
    texts.forEach((t, i) => {
      const ids = model.tokenizer.encode(t);
      if (ids.length === 0 || ids.every((id) => id === model.tokenizer.unkId))
        console.error(
          `static-embed similarity: note: text [${i + 1}] ${JSON.stringify(t)} has no token the model knows ` +
            `(${ids.length === 0 ? 'no tokens at all' : 'only [UNK]'}), so its scores do not measure meaning.`,
        );
    });
    const e = model.encode(texts);
    const fn = (fnArg as SimilarityFn | undefined) ?? model.similarityFnName;
    const m = model.similarity(e, e, fn);
    if (args.boolean('json')) {
      printLine(JSON.stringify({ texts, fn, similarity: m.toArrays().map((r) => r.map((x) => Number(x.toFixed(6)))) }));
      return;
    }
    // the label column, in terminal columns (CJK and emoji take two, combining marks none)
    const labels = texts.map(flatten);
    const w = Math.min(40, Math.max(...labels.map(displayWidth)));
    const lines = [
      `${fn} similarity (${model.info().dim} dims)`,
      '',
      ' '.repeat(w + 6) + texts.map((_, j) => `[${j + 1}]`.padStart(8)).join(''),
    ];
    for (let i = 0; i < texts.length; i++) {
      const cells = Array.from(m.row(i), (x) => x.toFixed(fn === 'cosine' ? 4 : 3).padStart(8)).join('');
      lines.push(`[${i + 1}]`.padEnd(5) + ' ' + fitToWidth(labels[i]!, w) + cells);
    }
    printLine(lines.join('\n'));
  },
};
