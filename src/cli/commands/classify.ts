import { printLine } from '../io/stdout.js';
import { writeFileAtomic } from '../../runtime/node/atomic-write.js';
import { checkFileOutput } from '../io/clobber.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import { basename } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import { parseTable, requiredColumn } from '../../formats/table.js';
import { LogisticRegression } from '../../tasks/logistic.js';
import type { Args, Command } from '../command.js';
import { DEFAULT_MODEL_PATH } from '../../runtime/node/default-model.js';
import { classifierModelMeta, loadClassifierModel, type ClassifierModelMeta } from '../classifier-model.js';
import { MODEL_HELP, MODEL_OPTIONS, loadModelArg, resolveModel } from '../model-arg.js';
import { readTextFile } from '../io/input.js';
import { clip, readAllTexts } from '../io/texts.js';
import { count } from '../io/plural.js';
import { subcommandError } from '../cli-errors.js';

const SUBCOMMANDS = ['train', 'predict'];

export const classify: Command = {
  name: 'classify',
  subcommands: SUBCOMMANDS,
  summary: 'Train a classifier on embeddings (classify train) or label texts with it (classify predict).',
  usage:
    'static-embed classify train [--model M] --data FILE --out CLF.json [--overwrite] [--c C]\n       ' +
    'static-embed classify predict [--model M] --classifier CLF.json [--input FILE] [--json]',
  details: [
    'train: FILE is .csv/.tsv/.jsonl with columns "text" and "label" (--text-column / --label-column to rename); every',
    '       row needs a text and a label (a string; in JSONL a label may be an integer), at least two classes; an error',
    '       names the file, line and column;',
    '       logistic regression (multiclass, L2 with inverse strength --c, default 1), saved as JSON.',
    'predict: FILE as for encode (one text per line or .jsonl); prints "label<TAB>text" per line, or --json with probabilities.',
    'CLF.json names its model without paths of this machine (the embedded model by its id, a Hub id as given, a local ' +
      "folder by its card's model id or folder name) and records --dim, normalization, --profile and --revision; the " +
      'data file by its base name.',
    'predict without --model uses the recorded model with its options: the embedded model (if this static-embed embeds ' +
      'the same one) or the Hub model; a local folder must be given with --model (the error names the recorded one). ' +
      'The recorded --dim, normalization and --profile shape the embeddings the classifier fits: they apply unless given ' +
      'again, to any --model (a copy of the recorded model in another dtype or layout gives the same labels); the recorded ' +
      '--revision applies to the recorded Hub model only. A --model other than the recorded one gets a note on stderr ' +
      'listing the recorded options applied and not applied.',
    '--out CLF.json: written atomically; an existing file is replaced only with --overwrite (never --data or the model).',
    ...INPUT_HELP,
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS,
    ...INPUT_OPTIONS,
    overwrite: { type: 'boolean' },
    // predict: default the recorded model; train: default the embedded model
    model: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string' },
    classifier: { type: 'string' },
    input: { type: 'string' },
    'text-column': { type: 'string' },
    'label-column': { type: 'string' },
    c: { type: 'string' },
    json: { type: 'boolean' },
  },
  async run(args) {
    const sub = args.positionals[0];
    if (sub !== 'train' && sub !== 'predict') throw subcommandError('classify', sub, SUBCOMMANDS);
    return sub === 'train' ? trainClassifier(args) : predictLabels(args);
  },
};

/** classify train: the classifier fit on the embeddings of --data's texts and saved to --out. */
async function trainClassifier(args: Args): Promise<void> {
  const data = args.optionalString('data'),
    out = args.optionalString('out');
  if (!data || !out) throw new StaticEmbedError('INVALID_ARGUMENT', '--data FILE and --out CLF.json are required.');
  checkFileOutput(out, {
    option: '--out',
    what: 'the classifier (a .json file)',
    example: 'classifier.json',
    command: 'classify train',
    overwrite: args.boolean('overwrite'),
    inputs: [
      { option: '--data', path: data },
      { option: '--model', path: resolveModel(args.optionalString('model') ?? DEFAULT_MODEL_PATH) },
    ],
  });
  const C = args.number('c', { above: 0 }) ?? 1;
  const table = parseTable(readTextFile(data, args.inputPolicy), data);
  const labelColumn = args.optionalString('label-column') ?? 'label';
  const texts = requiredColumn(table, args.optionalString('text-column') ?? 'text', 'text');
  const labels = requiredColumn(table, labelColumn, 'label');
  const classes = new Set(labels);
  if (classes.size < 2)
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${data}: training needs at least two classes, but ${
        labels.length === 0
          ? 'it holds no rows'
          : `every row's ` +
            `"${labelColumn}" is ${JSON.stringify(labels[0])} (${labels.length} row${labels.length === 1 ? '' : 's'})`
      }; ` + `add examples of another class.`,
    );
  args.values.model ??= DEFAULT_MODEL_PATH;
  const model = await loadModelArg(args);
  const X = model.encode(texts, { workers: 2 });
  const clf = LogisticRegression.fit(X, labels, { C });
  const acc = clf.predict(X).filter((p, i) => p === labels[i]).length / labels.length;
  writeFileAtomic(
    out,
    JSON.stringify(
      clf.toJSON({
        ...classifierModelMeta(args.string('model'), model, args),
        trainedOn: basename(data),
        examples: labels.length,
      }),
    ) + '\n',
  );
  printLine(
    `Trained on ${count(labels.length, 'text')}, ${count(clf.classes.length, 'class', 'classes')} ` +
      `(${clf.classes.join(', ')}); training accuracy ${(100 * acc).toFixed(1)}%. Saved ${out}.`,
  );
}

/** classify predict: each text's label (or, with --json, the probabilities of every class). */
async function predictLabels(args: Args): Promise<void> {
  const path = args.optionalString('classifier');
  if (!path)
    throw new StaticEmbedError('INVALID_ARGUMENT', '--classifier CLF.json is required (made by classify train).');
  let json: unknown;
  try {
    json = JSON.parse(readTextFile(path, args.inputPolicy));
  } catch (cause) {
    if (cause instanceof StaticEmbedError) throw cause;
    throw new StaticEmbedError('INVALID_INPUT', `${path} is not JSON: ${(cause as Error).message}.`, { cause });
  }
  const clf = LogisticRegression.fromJSON(json, path);
  const model = await loadClassifierModel(args, clf.meta as ClassifierModelMeta, path);
  const texts = await readAllTexts(args.optionalString('input'), '--input', args.inputPolicy);
  const X = model.encode(texts, { workers: 2 });
  const labels = clf.predict(X);
  // a blank line gets no label (the output keeps one line per input line)
  const blank = (i: number) => texts[i]!.trim() === '';
  if (args.boolean('json')) {
    const p = clf.predictProba(X);
    printLine(
      texts
        .map((t, i) =>
          JSON.stringify({
            label: blank(i) ? null : labels[i],
            probabilities: blank(i)
              ? null
              : Object.fromEntries(clf.classes.map((c, k) => [c, Number(p.get(i, k).toFixed(6))])),
            text: t,
          }),
        )
        .join('\n'),
    );
    return;
  }
  printLine(texts.map((t, i) => `${blank(i) ? '' : labels[i]}\t${clip(t, 100)}`).join('\n'));
}
