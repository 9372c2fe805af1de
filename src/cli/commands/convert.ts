import { printLine } from '../io/stdout.js';
import { StaticEmbedError } from '../../errors.js';
import { readModelCard, saveModel } from '../../runtime/node/fs.js';
import { copyHistory, profileChange, type SaveDtype, type SaveLayout } from '../../transform/save.js';
import { inSteps, type Args, type Command } from '../command.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import { MODEL_HELP, MODEL_OPTIONS, derivedFrom, loadModelArg, loadOptionsFrom, modelArg } from '../model-arg.js';
import { MODEL_OUT, checkOutFolder } from '../io/out-folder.js';
import { readAllTexts } from '../io/texts.js';
import { evalDataDir } from '../eval-data.js';
import { StaticModel, loadModelFolder } from '../../runtime/node/api.js';
import { pairwiseSimilarity } from '../../math/similarity.js';
import { pruneVocabulary } from '../../transform/prune.js';
import { quantizeVocabulary } from '../../transform/vocab-quantize.js';
import { runEvaluation } from '../../runtime/node/eval-run.js';
import { count } from '../io/plural.js';

export const convert: Command = {
  name: 'convert',
  summary: 'Convert a model: Matryoshka truncation, float16 / bfloat16 / int8 tables, either folder layout.',
  usage:
    'static-embed convert [--model M] --out DIR [--overwrite] [--dim N] [--dtype float32|float16|bfloat16|int8 (float32)] ' +
    '[--layout sentence-transformers|model2vec] [--normalize|--no-normalize] [--report CORPUS]',
  details: [
    '--out DIR: a new or empty folder; a folder that is not empty is refused (exit 2) unless --overwrite is given, which ' +
      'replaces the model files in it (either layout, the card, licence files) and leaves other files alone.',
    '--dim N keeps the first N dimensions; --dtype stores the table (default float32, whatever the source ' +
      'stores; int8: per-row scales, readable by static-embed only).',
    "A local source folder's licence goes with the copy: its README's license: id into the new card, LICENSE/NOTICE files copied.",
    "The new card names the source by its Hub id, or a local folder by its card's title or base name (never this machine's path); " +
      'its library_name is the library that reads the copy: sentence-transformers (its layout, float dtypes), model2vec ' +
      '(its layout, float32/float16) or static-embed (int8, and bfloat16 in the model2vec layout); its tags list every ' +
      'library that loads the copy. model2vec also loads a sentence-transformers copy in float32/float16, but drops ' +
      'the unknown token and stops at 512 tokens: texts with either embed differently there (the card says so).',
    '--layout model2vec: static-embed reads the copy with the model2vec profile; when the source was read with the ' +
      "sentence-transformers profile (or the other way round), a note says so and --profile gives the source's embeddings back.",
    'A copy of a static-embed copy (also a folder converted into itself) keeps the original source and every earlier transformation.',
    '--prune-vocab FILE [--min-count K]: keep only the tokens the texts of FILE use (K times or more; WordPiece), plus special tokens.',
    "--vocab-quantize K [--seed S]: model2vec's vocabulary quantization (k-means of " +
      'the rows into K centroids + per-token mapping and weights; model2vec layout).',
    '--eval [--quick] [--data DIR, default $STATIC_EMBED_EVAL_DATA]: the evaluation ' +
      'scores (static-embed eval) of the original and the converted model, side by side (--quick: the same seeded sample as eval --quick).',
    "--report CORPUS: the cosine between the converted and the original model's embeddings of each line (mean, p1, min).",
    ...INPUT_HELP,
    ...MODEL_HELP,
  ],
  options: {
    ...MODEL_OPTIONS,
    ...INPUT_OPTIONS,
    out: { type: 'string' },
    overwrite: { type: 'boolean' },
    dtype: { type: 'string' },
    layout: { type: 'string' },
    report: { type: 'string' },
    'prune-vocab': { type: 'string' },
    'min-count': { type: 'string' },
    'vocab-quantize': { type: 'string' },
    seed: { type: 'string' },
    eval: { type: 'boolean' },
    quick: { type: 'boolean' },
    data: { type: 'string' },
  },
  run: inSteps({ parse: parseConvertOptions, check: loadSource, execute: convertModel, report: reportConversion }),
};

/** The output's form (--out, --dtype, --layout), checked before anything is read. */
function parseConvertOptions(args: Args) {
  const out = args.optionalString('out');
  if (!out) throw new StaticEmbedError('INVALID_ARGUMENT', '--out DIR is required.');
  const dtype = (args.optionalString('dtype') ?? 'float32') as SaveDtype;
  if (!['float32', 'float16', 'bfloat16', 'int8'].includes(dtype))
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--dtype must be float32, float16, bfloat16 or int8, got "${dtype}".`,
    );
  const layout = (args.optionalString('layout') ?? 'sentence-transformers') as SaveLayout;
  if (!['sentence-transformers', 'model2vec'].includes(layout))
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--layout must be sentence-transformers or model2vec, got "${layout}".`,
    );
  if (args.values['vocab-quantize'] !== undefined && layout !== 'model2vec')
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--vocab-quantize writes a mapping and weights, which only the model2vec layout holds (--layout is ${layout}). ` +
        'Add --layout model2vec.',
    );
  return { out, dtype, layout };
}

type ConvertOptions = ReturnType<typeof parseConvertOptions>;

/** The output folder and the evaluation data checked, then the source model loaded. */
async function loadSource({ out, layout }: ConvertOptions, args: Args) {
  checkOutFolder(out, MODEL_OUT, args.boolean('overwrite'));
  const evalData = args.boolean('eval') ? evalDataDir(args, undefined, false) : '';
  const source = await loadModelArg(args);
  if (source.mapping && layout !== 'model2vec')
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `The source model is vocabulary-quantized (a mapping and weights), which only the model2vec layout holds ` +
        `(--layout is ${layout}). Add --layout model2vec.`,
    );
  return { source, evalData };
}

/** The transformations (vocabulary pruning, vocabulary quantization), then the folder written. */
async function convertModel(
  { source }: Awaited<ReturnType<typeof loadSource>>,
  { out, dtype, layout }: ConvertOptions,
  args: Args,
) {
  let model = source;
  const o = loadOptionsFrom(args);
  const transformations: string[] = [];
  const pruneFile = args.optionalString('prune-vocab');
  if (pruneFile) {
    const minCount = args.int('min-count', 1);
    const texts = await readAllTexts(pruneFile, '--prune-vocab', args.inputPolicy);
    const r = pruneVocabulary(model, texts, minCount);
    model = r.model;
    transformations.push(
      `pruned the vocabulary to the ${r.kept.toLocaleString('en-US')} tokens used at least ${minCount} time(s) by ` +
        `${count(texts.length, 'text')} (plus special tokens); ${r.removed.toLocaleString('en-US')} removed`,
    );
    printLine(
      `Pruned the vocabulary: ${r.kept.toLocaleString('en-US')} tokens kept, ${r.removed.toLocaleString('en-US')} removed.`,
    );
  } else if (args.values['min-count'] !== undefined)
    throw new StaticEmbedError('INVALID_ARGUMENT', '--min-count goes with --prune-vocab FILE.');
  if (args.values['vocab-quantize'] !== undefined) {
    const k = args.int('vocab-quantize', 2, 2),
      seed = args.int('seed', 42, 0);
    model = quantizeVocabulary(model, k, seed);
    transformations.push(
      `vocabulary-quantized the table to ${k} centroids (mini-batch k-means, seed ${seed}; per-token mapping and weights)`,
    );
  }
  const origin = derivedFrom(args.string('model'));
  // a static-embed copy as the source (also a folder converted into itself): the card keeps its original source
  // and the transformations so far
  const card = readModelCard(modelArg(args)),
    earlier = card === undefined ? undefined : copyHistory(card);
  // the source, its licence files and card are in memory: saveModel writes a new folder beside --out and swaps it
  // in, keeping the files that are not the model's (a folder converts into itself with --overwrite)
  const files = saveModel(model, out, {
    transformations,
    ...origin,
    layout,
    dtype,
    ...(o.normalize !== undefined ? { normalize: o.normalize } : {}),
    ...(o.revision ? { revision: o.revision } : {}),
    ...(earlier ? { earlier } : {}),
  });
  return { model, files };
}

/** What was written, then (when asked) the cosine of the converted model to the source and the scores of both. */
async function reportConversion(
  { model, files }: Awaited<ReturnType<typeof convertModel>>,
  { source, evalData }: Awaited<ReturnType<typeof loadSource>>,
  { out, dtype, layout }: ConvertOptions,
  args: Args,
): Promise<void> {
  printLine(
    `Wrote ${files.length} files to ${out} (${layout} layout, ${model.tableRows.toLocaleString('en-US')} × ${model.dim} ${dtype}).`,
  );
  const change = profileChange(model, layout);
  if (change) process.stderr.write(`note: ${change}\n`);
  const corpus = args.optionalString('report');
  if (corpus) await reportCosine(source, out, await readAllTexts(corpus, '--report', args.inputPolicy));
  if (args.boolean('eval')) await reportEvaluation(source, out, evalData, args.boolean('quick'));
}

/** --report: the cosine of each text's converted embedding to its original one (mean, 1st percentile, minimum). */
async function reportCosine(source: StaticModel, out: string, texts: string[]): Promise<void> {
  // the same encoding rules on both sides: only the conversion differs
  const original: StaticModel = source;
  const converted = loadModelFolder(out, {
    normalize: false,
    profile: original.profile,
    maxLength: original.maxLength,
  });
  const a = original.encode(texts, { workers: 2, normalize: false }),
    b = converted.encode(texts, { workers: 2 });
  const cos = pairwiseSimilarity(a, b);
  // texts with no tokens are zero vectors on both sides: leave them out
  const kept = Array.from(cos).filter((_, i) => a.row(i).some((x) => x !== 0));
  const sorted = Float64Array.from(kept).sort();
  let sum = 0;
  for (const x of sorted) sum += x;
  printLine(
    `Cosine to the original on ${count(sorted.length, 'text')}: mean ${(sum / sorted.length).toFixed(6)}, ` +
      `p1 ${sorted[Math.floor(0.01 * (sorted.length - 1))]!.toFixed(6)}, min ${sorted[0]!.toFixed(6)}.`,
  );
}

/** --eval: the original's and the converted model's scores, task by task. */
async function reportEvaluation(source: StaticModel, out: string, evalData: string, quick: boolean): Promise<void> {
  const converted = loadModelFolder(out, { profile: source.profile, maxLength: source.maxLength });
  const opts = { dataDir: evalData, quick, workers: 2 };
  const before = await runEvaluation(source, opts),
    after = await runEvaluation(converted, opts);
  const avg = (run: typeof before, task: string, split: string) => {
    const xs = run.results.filter((r) => r.task === task && r.split === split).map((r) => r.main_score);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  const keys = [...new Set(before.results.map((r) => `${r.task}|${r.split}`))];
  printLine(
    [
      '',
      ...(opts.quick
        ? ['Quick subset (--quick): original and converted on the same items; not comparable with full-set scores.', '']
        : []),
      '| task | split | original | converted | change |',
      '|---|---|---:|---:|---:|',
      ...keys.map((k) => {
        const [task, split] = k.split('|') as [string, string];
        const b = avg(before, task, split),
          a = avg(after, task, split);
        return `| ${task} | ${split} | ${b.toFixed(4)} | ${a.toFixed(4)} | ${(100 * (a / b - 1)).toFixed(2)}% |`;
      }),
    ].join('\n'),
  );
}
