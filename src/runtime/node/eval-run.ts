/**
 * Runs evaluation tasks on a model (encode every text once at full dimension, then score each Matryoshka
 * dimension by truncating), and writes MTEB-format JSON results per task and dimension.
 */
import { basename, join } from 'node:path';
import { StaticEmbedError, describe } from '../../errors.js';
import { Matrix } from '../../math/matrix.js';
import type { StaticModel } from '../../model/static-model.js';
import { normalizeRows, truncate } from '../../model/postprocess.js';
import { evaluateBitext } from '../../evaluate/bitext.js';
import { evaluateClassification } from '../../evaluate/classification.js';
import {
  customFile,
  pawsx,
  sentiment,
  STSB_LANGS,
  stsb,
  stsbCrossLingual,
  tatoeba,
  tatoebaPairs,
  xnli,
} from './eval-datasets.js';
import type { EvalItem, TaskType } from '../../evaluate/task.js';
import { evaluatePairs } from '../../evaluate/pairs.js';
import { evaluateSts } from '../../evaluate/sts.js';
import { QUICK_SUBSET, sampleItem } from '../../evaluate/subset.js';
import { makeFolder } from './make-folder.js';
import { writeFileAtomic } from './atomic-write.js';

export const TASK_GROUPS: Record<string, TaskType> = {
  sts: 'sts',
  bitext: 'bitext',
  pairs: 'pairs',
  classification: 'classification',
};

export interface EvalOptions {
  /** task groups (sts, bitext, pairs, classification) or task names (MTEB's, and STSbCrossLingual); default all */
  tasks?: string[];
  dims?: number[];
  quick?: boolean;
  /** folder with stsb-multi-mt, tatoeba, pawsx, xnli, multilingual-sentiment */
  dataDir: string;
  /** the user's own files (columns text1, text2, score or label) */
  files?: string[];
  workers?: number;
  onProgress?: (message: string) => void;
}

export interface EvalResult {
  task: string;
  type: TaskType;
  split: string;
  subset: string;
  dim: number;
  scores: Record<string, number>;
  main_score: number;
}

export interface EvalRun {
  results: EvalResult[];
  dims: number[];
  encodeSeconds: number;
  texts: number;
  /** a --quick run: a few languages, a seeded random sample of at most `quickRows` items each (`quickSeed`) — not
   * comparable with full-set scores */
  quick: boolean;
  quickRows: number;
  quickSeed: number;
}

/** The task list in lower case (default: all); throws INVALID_ARGUMENT for an unknown task. */
export function checkTasks(tasks: readonly string[] | undefined): string[] {
  const want = (tasks ?? ['sts', 'bitext', 'pairs', 'classification']).map((t) => t.toLowerCase());
  const known = new Set([
    'sts',
    'bitext',
    'pairs',
    'classification',
    'stsbenchmarkmultilingualsts',
    'stsbcrosslingual',
    'tatoeba',
    'pawsxpairclassification',
    'xnli',
    'multilingualsentiment',
  ]);
  for (const t of want)
    if (!known.has(t))
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `Unknown task "${t}"; use sts, bitext, pairs, classification (or STSBenchmarkMultilingualSTS, STSbCrossLingual, ` +
          `Tatoeba, PawsXPairClassification, XNLI, MultilingualSentiment).`,
      );
  return want;
}

/** The items a run scores: datasets and languages per task, and for --quick a seeded sample of each (QUICK_SUBSET). */
export function evalItems(o: EvalOptions): EvalItem[] {
  const want = checkTasks(o.tasks);
  const has = (...names: string[]) => names.some((n) => want.includes(n));
  const d = o.dataDir,
    q = o.quick === true;
  const out: EvalItem[] = [];
  if (has('sts', 'stsbenchmarkmultilingualsts')) {
    out.push(...stsb(d, 'test', q ? ['en', 'de', 'zh'] : STSB_LANGS));
    if (!q) out.push(...stsb(d, 'dev'));
  }
  if (has('sts', 'stsbcrosslingual')) out.push(...stsbCrossLingual(d, 'test', q ? ['de', 'zh'] : undefined));
  if (has('bitext', 'tatoeba'))
    out.push(
      ...tatoeba(
        d,
        q ? tatoebaPairs(d).filter((l) => ['deu', 'fra', 'cmn', 'rus', 'ara', 'hin'].includes(l)) : undefined,
      ),
    );
  if (has('pairs', 'pawsxpairclassification')) out.push(...pawsx(d, q ? ['en', 'de'] : undefined));
  if (has('pairs', 'xnli')) out.push(...xnli(d, q ? ['en', 'fr'] : undefined));
  if (has('classification', 'multilingualsentiment')) out.push(...sentiment(d, q ? ['english'] : undefined));
  // tasks named by base names (customFile); files of the same name in different folders stay apart
  const seen = new Map<string, number>();
  for (const f of o.files ?? []) {
    const base = basename(f),
      n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    out.push(customFile(f, n === 1 ? base : `${base} (${n})`));
  }
  return q ? out.map((it) => sampleItem(it, QUICK_SUBSET.rows, QUICK_SUBSET.seed)) : out;
}

/** Key-wise mean of two score records (the two directions of a cross-lingual STS pair). */
export function meanScores(x: Record<string, number>, y: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(x).map((k) => [k, (x[k]! + y[k]!) / 2]));
}

/**
 * The Matryoshka dimensions to score (default: the model's), sorted and without repeats; throws INVALID_ARGUMENT
 * for one that is not an integer from 1 to the model's dimension (`name` is the option the user gave).
 */
export function checkDims(dims: readonly number[] | undefined, modelDim: number, name = 'dims'): number[] {
  for (const x of dims ?? [])
    if (!Number.isInteger(x) || x < 1 || x > modelDim)
      throw new StaticEmbedError(
        'INVALID_ARGUMENT',
        `${name}: ${typeof x === 'number' ? x : describe(x)} is not a dimension of this model (it has ${modelDim}); ` +
          `give ${name} from 1 to ${modelDim}, or leave ${name} out for all ${modelDim}.`,
      );
  return [...new Set(dims ?? [modelDim])].sort((x, y) => x - y);
}

export async function runEvaluation(model: StaticModel, options: EvalOptions): Promise<EvalRun> {
  const dims = checkDims(options.dims, model.dim);
  const list = evalItems(options);
  const results: EvalResult[] = [];
  let encodeSeconds = 0,
    texts = 0;
  const enc = (t: string[]): Matrix => {
    const start = performance.now();
    const m = model.encode(t, { workers: options.workers ?? 1, normalize: false });
    encodeSeconds += (performance.now() - start) / 1000;
    texts += t.length;
    return m;
  };
  const atDim = (m: Matrix, dim: number): Matrix => {
    const t = dim === m.cols ? new Matrix(m.rows, m.cols, m.data.slice()) : truncate(m, dim);
    return model.normalize ? normalizeRows(t) : t;
  };
  for (let k = 0; k < list.length; k++) {
    const it = list[k]!;
    options.onProgress?.(`[${k + 1}/${list.length}] ${it.task} ${it.subset} (${it.split})`);
    const A = enc(it.a),
      B = enc(it.b);
    const R = it.reverse ? { a: enc(it.reverse.a), b: enc(it.reverse.b) } : undefined;
    await new Promise((r) => setImmediate(r));
    for (const dim of dims) {
      const a = atDim(A, dim),
        b = atDim(B, dim);
      let scores: Record<string, number>;
      switch (it.type) {
        case 'sts':
          scores = { ...evaluateSts(a, b, it.scores!) };
          if (R) scores = meanScores(scores, { ...evaluateSts(atDim(R.a, dim), atDim(R.b, dim), it.scores!) });
          break;
        case 'pairs':
          scores = { ...evaluatePairs(a, b, it.scores!) };
          break;
        case 'bitext':
          scores = { ...evaluateBitext(a, b) };
          break;
        case 'classification':
          scores = evaluateClassification(
            a,
            it.trainLabels!,
            b,
            it.testLabels!,
            options.quick ? { experiments: 3 } : {},
          );
          break;
      }
      results.push({
        task: it.task,
        type: it.type,
        split: it.split,
        subset: it.subset,
        dim,
        scores,
        main_score: scores.main_score!,
      });
    }
  }
  return {
    results,
    dims,
    encodeSeconds,
    texts,
    quick: options.quick === true,
    quickRows: QUICK_SUBSET.rows,
    quickSeed: QUICK_SUBSET.seed,
  };
}

/** The `sample` field of a --quick run's result files: which rows were scored. */
function quickSample(run: EvalRun): Record<string, unknown> {
  return {
    quick: true,
    seed: run.quickSeed,
    rows: run.quickRows,
    note:
      `static-embed eval --quick: a few languages per task, each a random sample of at most ${run.quickRows} rows ` +
      `(seed ${run.quickSeed}); not comparable with full-set or published MTEB scores.`,
  };
}

/**
 * MTEB-format JSON, one file per task and dimension: out/dim-<d>/<Task>.json. A --quick run's files carry one more
 * top-level field, `sample` ({quick: true, seed, rows, note}), so they are never taken for full-set results.
 */
export function writeMtebJson(run: EvalRun, out: string, modelName: string): string[] {
  const files: string[] = [];
  for (const dim of run.dims) {
    const dir = join(out, `dim-${dim}`);
    makeFolder(dir);
    const byTask = new Map<string, EvalResult[]>();
    for (const r of run.results) if (r.dim === dim) byTask.set(r.task, [...(byTask.get(r.task) ?? []), r]);
    for (const [task, rs] of byTask) {
      const scores: Record<string, Array<Record<string, unknown>>> = {};
      for (const r of rs)
        (scores[r.split] ??= []).push({
          ...r.scores,
          hf_subset: r.subset,
          languages: [r.subset],
          main_score: r.main_score,
        });
      const file = join(dir, `${task.replace(/[^\w.-]+/g, '_')}.json`);
      writeFileAtomic(
        file,
        JSON.stringify(
          {
            task_name: task,
            mteb_version: null,
            dataset_revision: null,
            evaluation_time: null,
            model_name: modelName,
            embedding_dim: dim,
            // not in MTEB's files: a --quick run's scores are of a sample, not comparable with full-set scores
            ...(run.quick ? { sample: quickSample(run) } : {}),
            scores,
          },
          null,
          1,
        ) + '\n',
      );
      files.push(file);
    }
  }
  return files;
}
