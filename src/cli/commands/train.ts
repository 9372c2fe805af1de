import { printLine } from '../io/stdout.js';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, join } from 'node:path';
import { StaticEmbedError } from '../../errors.js';
import { parseTable } from '../../formats/table.js';
import { findTokenizerFile, loadTokenizer, saveModel } from '../../runtime/node/fs.js';
import { Random } from '../../math/random.js';
import { StaticModel } from '../../runtime/node/api.js';
import { pairsOf, type Pair } from '../../train/data.js';
import { train, type TrainResult, type TrainState } from '../../train/trainer.js';
import { ThreadedGemmWorkspace } from '../../runtime/node/gemm-threads.js';
import { loadCheckpoint, saveCheckpoint } from '../../runtime/node/checkpoint.js';
import { evaluateDev } from '../../train/dev-eval.js';
import { customFile } from '../../runtime/node/eval-datasets.js';
import type { EvalItem } from '../../evaluate/task.js';
import { inSteps, type Args, type Command } from '../command.js';
import { derivedFrom, loadModelArg } from '../model-arg.js';
import { Progress } from '../io/progress.js';
import { checkOutputFolder } from '../io/output-path.js';
import { checkOutFolder, type OutFolder } from '../io/out-folder.js';
import { readTextFile } from '../io/input.js';
import type { InputPolicy } from '../io/input-policy.js';
import { INPUT_HELP, INPUT_OPTIONS } from '../io/decode.js';
import { isModelFolderEntry } from '../../transform/save.js';
import { parseIntegerList } from '../io/numbers.js';
import { count } from '../io/plural.js';

/** A new model: the tokenizer's vocabulary with a seeded N(0, 1) table of `dim` columns. */
function fromScratch(tokenizerPath: string, dim: number, seed: number): StaticModel {
  const tok = loadTokenizer(tokenizerPath);
  const rows = tok.vocabSize;
  const rng = new Random(seed);
  const table = new Float32Array(rows * dim);
  for (let i = 0; i < table.length; i += 2) {
    const u = rng.next() + 1e-12,
      v = rng.next();
    const r = Math.sqrt(-2 * Math.log(u));
    table[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < table.length) table[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return StaticModel.fromTable({ tokenizer: readFileSync(findTokenizerFile(tokenizerPath)), table, dim });
}

/** --eval-data: text1/text2/score|label files as STS or pair classification, anchor/positive files as bitext mining. */
function devSet(path: string, policy: InputPolicy): EvalItem {
  const t = parseTable(readTextFile(path, policy), path);
  if (t.columns.includes('text1')) return customFile(path);
  const pairs = pairsOf(t);
  return {
    task: path,
    type: 'bitext',
    split: 'dev',
    subset: 'default',
    a: pairs.map((p) => p.anchor),
    b: pairs.map((p) => p.positive),
  };
}

const fmtTime = (s: number) =>
  s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.round((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`
      : `${Math.round(s)}s`;

/** --out DIR: the trained model, and its checkpoints in DIR/checkpoint. */
const TRAIN_OUT: OutFolder = {
  option: '--out',
  what: 'the trained model',
  command: 'train',
  files: 'the model files and checkpoints',
  owns: (name) => isModelFolderEntry(name) || name === 'checkpoint',
  replacesPrevious: false,
};

/** Options a checkpoint stores only when they differ from these defaults. */
const DEFAULTS = { scale: 20, loss: 'mnrl' };

export const trainCommand: Command = {
  name: 'train',
  summary:
    'Train or fine-tune a static model: MatryoshkaLoss(MultipleNegativesRankingLoss, its symmetric or GTE variant), ' +
    'or translation distillation onto the --init model.',
  usage:
    'static-embed train --data FILE[,FILE…] --out DIR (--init MODEL | --tokenizer PATH --dim D) [--matryoshka-dims 32,64,…] [--batch-size B] [--lr ' +
    'LR] [--epochs E] [--warmup-ratio R] [--eval-data FILE[,FILE…]] [--eval-steps N] [--checkpoint-steps N] [--resume] [--max-steps N] ' +
    '[--scale S] [--loss mnrl|symmetric|gte|distill|distill-cosine] [--distill-data FILE[,FILE…] [--distill-loss distill|distill-cosine]] ' +
    '[--seed S] [--weight-decay W] [--threads N] [--overwrite] [--quiet]',
  details: [
    'FILE: .csv/.tsv/.jsonl with columns anchor, positive[, negative] (or the first two or three columns); several files are sampled proportionally.',
    "Defaults follow the seed model's recipe: batch 2048, lr 0.2, warmup 0.1, one epoch, batches without duplicate texts.",
    "--scale S: the loss's similarity scale (inverse temperature; default 20, as sentence-transformers' MNRL).",
    "--loss symmetric: MultipleNegativesSymmetricRankingLoss (each positive must also find its anchor among the batch's anchors); default mnrl.",
    '--loss gte: MNRL with all four directions in one softmax (GTE): each text is also pushed away from the ' +
      "batch's other texts of its own column (with per-language batches, its own language).",
    "--loss distill: translation distillation: both texts of a pair are pulled onto the --init model's embedding of " +
      'the anchor (mean squared error of the pooled vectors; the --init model stays the fixed teacher); ' +
      '--loss distill-cosine: the same with 1 − cosine.',
    '--distill-data FILE[,FILE…]: pairs distilled within a contrastive run (--loss mnrl, symmetric or gte; needs --init): ' +
      "their batches, drawn in proportion among --data's, pull both texts onto the --init model's embedding of the anchor " +
      '(--distill-loss distill-cosine, the default, or distill for the squared distance), e.g. word pairs that should keep ' +
      'their alignment while sentences train.',
    '--eval-data: dev files scored every --eval-steps steps (default: 10 times per run) and at the end — text1,text2,score ' +
      '(Spearman), text1,text2,label (AP), or anchor,positive pairs (bitext mining F1) — at the smallest and largest Matryoshka dim.',
    'Checkpoints (table + optimizer state) go to DIR/checkpoint every --checkpoint-steps steps (default 1000; 0: never); --resume continues from ' +
      'there with the same data and options, giving the same model as an uninterrupted run. --max-steps N stops after step N (with a checkpoint).',
    '--init M (alias --model M): the model to fine-tune (the new card names it and carries its licence: the license: id ' +
      'and LICENSE/NOTICE files, as convert does); --weight-decay W: AdamW weight decay (default 0.01).',
    '--threads N: threads for the loss (default: all cores); a run is reproducible for a given N (other N: equal up to float rounding).',
    'Progress on a terminal: a bar with loss, pairs/s and ETA; otherwise a log line every 10 % ' +
      '(and at each evaluation) on stderr; --quiet turns it off. The result is saved in the sentence-transformers layout.',
    '--out DIR: a new or empty folder (or, with --resume, the folder of the run to continue); a folder that is not ' +
      'empty is refused unless --overwrite is given. The model is written beside DIR and swapped in when complete ' +
      '(checkpoints and other files in DIR are kept); each checkpoint is written atomically.',
    ...INPUT_HELP,
  ],
  options: {
    ...INPUT_OPTIONS,
    overwrite: { type: 'boolean' },
    data: { type: 'string' },
    out: { type: 'string' },
    init: { type: 'string' },
    tokenizer: { type: 'string' },
    dim: { type: 'string' },
    'matryoshka-dims': { type: 'string' },
    'batch-size': { type: 'string' },
    lr: { type: 'string' },
    epochs: { type: 'string' },
    'warmup-ratio': { type: 'string' },
    seed: { type: 'string' },
    quiet: { type: 'boolean' },
    model: { type: 'string' },
    'eval-data': { type: 'string' },
    'eval-steps': { type: 'string' },
    'checkpoint-steps': { type: 'string' },
    resume: { type: 'boolean' },
    'max-steps': { type: 'string' },
    'weight-decay': { type: 'string' },
    threads: { type: 'string' },
    scale: { type: 'string' },
    loss: { type: 'string' },
    'distill-data': { type: 'string' },
    'distill-loss': { type: 'string' },
  },
  run: inSteps({ parse: parseTrainOptions, check: prepareTraining, execute: runTraining, report: reportTraining }),
};

/** The training options, parsed before anything is read: a bad value is reported before the data and the model. */
function parseTrainOptions(args: Args) {
  const data = args.optionalString('data'),
    out = args.optionalString('out');
  if (!data || !out) throw new StaticEmbedError('INVALID_ARGUMENT', '--data FILE[,FILE…] and --out DIR are required.');
  const dataFiles = args.files('data')!,
    distillFiles = args.files('distill-data'),
    evalFiles = args.files('eval-data') ?? [];
  const init = args.optionalString('init') ?? args.optionalString('model');
  const seed = args.int('seed', 42, 0);
  const dimList = args.optionalString('matryoshka-dims');
  const givenDims = dimList !== undefined ? parseIntegerList(dimList, 'matryoshka-dims') : undefined;
  const lr = args.number('lr', { above: 0 }) ?? 0.2;
  const warmupRatio = args.number('warmup-ratio', { min: 0, max: 1 }) ?? 0.1;
  const weightDecay = args.number('weight-decay', { min: 0 }) ?? 0.01;
  const scale = args.number('scale', { above: 0 }) ?? DEFAULTS.scale;
  const loss = args.optionalString('loss') ?? DEFAULTS.loss;
  if (!['mnrl', 'symmetric', 'gte', 'distill', 'distill-cosine'].includes(loss))
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--loss must be mnrl, symmetric, gte, distill or distill-cosine, got "${loss}".`,
    );
  if (loss.startsWith('distill') && !init)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      "--loss distill pulls translations onto the --init model's embeddings of the anchors: give --init MODEL.",
    );
  const distillData = args.optionalString('distill-data');
  const distillLoss = args.optionalString('distill-loss') ?? 'distill-cosine';
  if (distillData === undefined && args.optionalString('distill-loss') !== undefined)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      '--distill-loss is the loss of --distill-data files: give --distill-data FILE[,FILE…], or --loss distill or ' +
        'distill-cosine to distill every --data file.',
    );
  if (distillLoss !== 'distill' && distillLoss !== 'distill-cosine')
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--distill-loss must be distill or distill-cosine, got "${distillLoss}".`,
    );
  if (distillData !== undefined && loss.startsWith('distill'))
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--distill-data adds distilled files to a contrastive run: give --loss mnrl, symmetric or gte (got ${loss}), or put ` +
        'every file in --data with --loss distill.',
    );
  if (distillData !== undefined && !init)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      "--distill-data pulls translations onto the --init model's embeddings of the anchors: give --init MODEL.",
    );
  const symmetric = loss === 'symmetric',
    gte = loss === 'gte';
  const batchSize = args.int('batch-size', 2048, 2),
    epochs = args.int('epochs', 1);
  return {
    data,
    dataFiles,
    distillFiles,
    evalFiles,
    out,
    init,
    seed,
    givenDims,
    lr,
    warmupRatio,
    weightDecay,
    scale,
    loss,
    distillData,
    distillLoss,
    symmetric,
    gte,
    batchSize,
    epochs,
  };
}

type TrainOptions = ReturnType<typeof parseTrainOptions>;

/** The output folder checked, the data read, the model loaded (or made) and the checkpoint to resume from. */
async function prepareTraining(o: TrainOptions, args: Args) {
  const { data, out, init, seed } = o;
  // after the options, before the data and the model are read; created (with its checkpoint folder) as training writes into it. A
  // folder that is not empty is another run's: continued with --resume, replaced with --overwrite
  if (args.boolean('resume')) checkOutputFolder(out, TRAIN_OUT);
  else checkOutFolder(out, TRAIN_OUT, args.boolean('overwrite'));
  const read = (files: string[]) =>
    files.map((f) => enoughPairs(f, pairsOf(parseTable(readTextFile(f, args.inputPolicy), f))));
  const contrastive = read(o.dataFiles),
    distilled = read(o.distillFiles ?? []);
  const datasets = [...contrastive, ...distilled];
  const distillDatasets = distilled.length ? datasets.map((_, i) => i >= contrastive.length) : undefined;
  let model: StaticModel;
  if (init) {
    args.values.model = init;
    model = await loadModelArg(args);
  } else {
    const tok = args.optionalString('tokenizer');
    if (!tok)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        'give --init MODEL (fine-tune) or --tokenizer PATH --dim D (from scratch).',
      );
    model = fromScratch(tok, args.int('dim', 256, 1, 65_536), seed); // a table of vocab × dim floats
  }
  const dims = o.givenDims ?? [model.dim];
  // the teacher of --loss distill: the --init model as loaded (a resumed run's table comes from its checkpoint)
  const teacher = o.loss.startsWith('distill') || distillDatasets ? model.table.slice() : undefined;
  const options = {
    data,
    dims,
    batchSize: o.batchSize,
    epochs: o.epochs,
    lr: o.lr,
    warmupRatio: o.warmupRatio,
    weightDecay: o.weightDecay,
    seed,
    init: init ?? null,
    dim: model.dim,
    rows: model.table.length / model.dim,
    ...(o.scale !== DEFAULTS.scale ? { scale: o.scale } : {}),
    ...(o.loss !== DEFAULTS.loss ? { loss: o.loss } : {}),
    ...(o.distillData !== undefined ? { distillData: o.distillData, distillLoss: o.distillLoss } : {}),
  };
  const ckptDir = join(out, 'checkpoint'),
    ckptEvery = args.int('checkpoint-steps', 1000, 0);
  const resume = args.boolean('resume') ? resumeFrom(ckptDir, options, model) : undefined;
  return { model, datasets, distillDatasets, dims, teacher, options, ckptDir, ckptEvery, resume };
}

type Prepared = Awaited<ReturnType<typeof prepareTraining>>;

/** The checkpoint's state, after its options are checked against this run's and its table copied into the model. */
function resumeFrom(ckptDir: string, options: Record<string, unknown>, model: StaticModel): TrainState {
  const c = loadCheckpoint(ckptDir);
  // options left at their defaults are not stored: compare both runs with the defaults filled in
  const then: Record<string, unknown> = { ...DEFAULTS, ...c.options },
    now: Record<string, unknown> = { ...DEFAULTS, ...options };
  const mismatch = [...new Set([...Object.keys(then), ...Object.keys(now)])]
    .filter((k) => JSON.stringify(then[k]) !== JSON.stringify(now[k]))
    .map((k) => `${k}: ${JSON.stringify(then[k])} then, ${JSON.stringify(now[k])} now`);
  if (mismatch.length)
    throw new StaticEmbedError(
      'INVALID_ARGUMENT',
      `--resume: the checkpoint in ${ckptDir} was written with other options (${mismatch.join('; ')}); resume with the same ones.`,
    );
  model.table.set(c.table);
  return c.state;
}

/** The training run, with its progress, dev-set scores and checkpoints on stderr. */
function runTraining(p: Prepared, o: TrainOptions, args: Args) {
  const { model, ckptDir, ckptEvery, resume, options } = p;
  const dev = o.evalFiles.map((f) => devSet(f, args.inputPolicy));
  const devDims = [...new Set([Math.min(...p.dims), Math.max(...p.dims)])];
  const quiet = args.boolean('quiet');
  const tty = process.stderr.isTTY === true;
  const log = (line: string) => {
    if (!quiet) process.stderr.write(tty ? `\r${line}\x1b[K\n` : `${line}\n`);
  };
  let last = 0,
    total = 0,
    bar: Progress | undefined,
    nextLog = 0,
    recent = 0;
  const onEval = (step: number) => {
    const scores = evaluateDev(model, dev, devDims);
    log(`step ${step}: ${scores.map((s) => `${s.name} ${s.metric}@${s.dim} ${s.score.toFixed(4)}`).join(', ')}`);
  };
  const gemm = new ThreadedGemmWorkspace(args.int('threads', availableParallelism()));
  let r: TrainResult;
  try {
    r = train(model, {
      kernel: gemm,
      datasets: p.datasets,
      matryoshkaDims: p.dims,
      batchSize: o.batchSize,
      lr: o.lr,
      epochs: o.epochs,
      warmupRatio: o.warmupRatio,
      weightDecay: o.weightDecay,
      seed: o.seed,
      scale: o.scale,
      symmetric: o.symmetric,
      gte: o.gte,
      ...(p.teacher ? { teacher: p.teacher, distillMetric: distillMetric(o) } : {}),
      ...(p.distillDatasets ? { distillDatasets: p.distillDatasets } : {}),
      ...(resume ? { resume } : {}),
      ...(args.optionalString('max-steps') ? { stopAfter: args.int('max-steps', 1) } : {}),
      ...(dev.length
        ? { onEval, ...(args.optionalString('eval-steps') ? { evalEvery: args.int('eval-steps', 1) } : {}) }
        : {}),
      ...(ckptEvery > 0 || args.optionalString('max-steps')
        ? {
            checkpointEvery: ckptEvery,
            onCheckpoint: (state: TrainState) => {
              saveCheckpoint(ckptDir, { state, table: model.table, dim: model.dim, options });
              log(`step ${state.step}: checkpoint saved to ${ckptDir}`);
            },
          }
        : {}),
      onStep: (s) => {
        last = s.loss;
        recent = recent === 0 ? s.loss : 0.98 * recent + 0.02 * s.loss;
        if (!total) {
          total = s.total;
          bar = Progress.for(s.total, quiet, 'steps');
          nextLog = Math.ceil(s.step / (total / 10)) * Math.ceil(total / 10);
        }
        const extra = `, loss ${recent.toFixed(4)}, ${Math.round(s.pairsPerSecond).toLocaleString('en-US')} pairs/s, lr ${s.lr.toPrecision(3)}`;
        bar?.update(s.step, extra);
        if (!tty && s.step >= nextLog) {
          log(`step ${s.step}/${s.total} (${Math.round((100 * s.step) / s.total)} %)${extra}, ETA ${fmtTime(s.eta)}`);
          nextLog += Math.ceil(total / 10);
        }
      },
    });
  } finally {
    gemm.close();
  }
  bar?.done(r.steps + (resume?.step ?? 0));
  return { r, last, recent };
}

/** The model saved (unless the run stopped early, with --max-steps) and the summary printed. */
function reportTraining(run: ReturnType<typeof runTraining>, p: Prepared, o: TrainOptions, args: Args): void {
  const { r, last, recent } = run;
  const { model, ckptDir, resume } = p;
  const { out, init, seed, symmetric, gte, scale } = o;
  const upTo = (resume?.step ?? 0) + r.steps;
  if (upTo < r.total) {
    printLine(
      `Stopped after step ${upTo} of ${r.total} (${count(r.pairs, 'pair')} this run); continue with --resume. Checkpoint: ${ckptDir}.`,
    );
    return;
  }
  // written beside --out and swapped in whole; its checkpoints and other files are kept
  const distilled = `distillation onto the initial model (${distillMetric(o) === 'mse' ? 'MSE' : 'cosine'})`;
  const contrastive = `MatryoshkaLoss(${symmetric ? 'MNSRL' : gte ? 'MNRL, all four directions, joint' : 'MNRL'}) over dims ${p.dims.join(', ')}`;
  const lossName = !p.teacher
    ? contrastive
    : o.distillData === undefined
      ? distilled
      : `${contrastive}; ${distilled} for ${names(o.distillFiles ?? [])}`;
  saveModel(model, out, {
    // the card names its inputs without this machine's paths (base names)
    ...(init
      ? derivedFrom(init)
      : {
          source: `from scratch (tokenizer ${basename(args.optionalString('tokenizer')!)}, ${model.dim} dims, seed ${seed})`,
        }),
    transformations: [
      `trained ${r.total} steps on ${names([...o.dataFiles, ...(o.distillFiles ?? [])])} ` +
        `(${lossName}, batch ${o.batchSize}, lr ${o.lr}, warmup ${o.warmupRatio}, weight decay ${o.weightDecay}, ` +
        `${scale !== DEFAULTS.scale ? `scale ${scale}, ` : ''}${symmetric ? 'symmetric loss, ' : ''}seed ${seed})`,
    ],
  });
  printLine(
    `Trained ${count(r.steps, 'step')} (${count(r.pairs, 'pair')}, ${Math.round(r.pairs / r.seconds).toLocaleString('en-US')} ` +
      `pairs/s); final loss ${recent.toFixed(4)} (smoothed; last step ${last.toFixed(4)}). Saved ${out}.`,
  );
}

/** The distance of the distillation loss: --distill-loss with --distill-data, else --loss. */
function distillMetric(o: TrainOptions): 'mse' | 'cosine' {
  return (o.distillData !== undefined ? o.distillLoss : o.loss) === 'distill' ? 'mse' : 'cosine';
}

/** Files by their base names (the card names no path of this machine). */
function names(files: readonly string[]): string {
  return files.map((f) => basename(f)).join(', ');
}

/** A training file's pairs: at least two, since a batch is drawn from one file and needs in-batch negatives. */
function enoughPairs(file: string, pairs: Pair[]): Pair[] {
  if (pairs.length < 2)
    throw new StaticEmbedError(
      'INVALID_INPUT',
      `${file} has ${count(pairs.length, 'pair')}: a training file needs at least 2 (each batch comes from one file ` +
        'and uses its other pairs as negatives). Add pairs, or merge the file into another.',
    );
  return pairs;
}
