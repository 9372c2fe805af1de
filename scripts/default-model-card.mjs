#!/usr/bin/env node
/**
 * Writes the measured sections of the default model's card (models/default/README.md) and of docs/models.md from one
 * evaluation run: `static-embed eval`'s code (runEvaluation: stsb-multi-mt test/dev, the cross-lingual STSb,
 * Tatoeba) on v1 (read from git, commit 952cd20) and on the model in models/default, at dims 32/64/128/256; and
 * the data statistics of scripts/make-default-data.mjs (models/default-build/data-stats.json).
 * Sections are replaced between <!-- NAME:start --> and <!-- NAME:end --> markers; the card's front matter gets the
 * `library_name` of the committed table's layout and dtype (transform/save.ts's libraryName, as convert writes it). Also writes
 * models/default-build/eval-results.json (every score of both models), which test/train/default-model.test.ts checks.
 * With WORK_DIR (scripts/make-default-data.mjs's output, default /tmp/static-embed-default-v2) present, the dev-set
 * scores of v1 and of the committed model are added to the recipes table.
 * Usage: npm run build && node scripts/default-model-card.mjs [WORK_DIR]
 *        node scripts/default-model-card.mjs --dev-runs-only   (only the table of dev-runs.jsonl, no evaluation)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StaticModel } from '../dist/src/node.js';
import { runEvaluation } from '../dist/src/entries/eval-node.js';
import { evaluateDev } from '../dist/src/train/dev-eval.js';
import { customFile } from '../dist/src/runtime/node/eval-datasets.js';
import { libraryName } from '../dist/src/transform/save.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CARD = join(ROOT, 'models', 'default', 'README.md');
if (process.argv.includes('--dev-runs-only')) {
  replaceSections(CARD, { 'default-model-dev-runs': devRunsTable().join('\n') });
  process.exit(0);
}
const V1_COMMIT = '952cd20';
const DIMS = [32, 64, 128, 256];
const data = join(ROOT, '..', 'shared', 'eval');

const v1Dir = mkdtempSync(join(tmpdir(), 'se-v1-'));
mkdirSync(join(v1Dir, '0_StaticEmbedding'));
for (const f of [
  'modules.json',
  'config_sentence_transformers.json',
  '0_StaticEmbedding/model.safetensors',
  '0_StaticEmbedding/tokenizer.json',
]) {
  writeFileSync(
    join(v1Dir, f),
    execFileSync('git', ['show', `${V1_COMMIT}:models/default/${f}`], { cwd: ROOT, maxBuffer: 1 << 28 }),
  );
}
const evaluate = async (path) => {
  const model = await StaticModel.fromPretrained(path);
  const run = await runEvaluation(model, { dataDir: data, tasks: ['sts', 'bitext'], dims: DIMS, workers: 2 });
  await model.close();
  return run.results.map((r) => ({
    task: r.task,
    split: r.split,
    subset: r.subset,
    dim: r.dim,
    score: Number(r.main_score.toFixed(6)),
  }));
};
const WORK = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '/tmp/static-embed-default-v2';
const devRows = [];
const devScores = async (path, label) => {
  let pairs;
  try {
    pairs = readFileSync(join(WORK, 'dev-bitext.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
  } catch {
    return;
  }
  const model = await StaticModel.fromPretrained(path);
  const sets = [
    {
      task: 'bitext',
      type: 'bitext',
      split: 'dev',
      subset: 'default',
      a: pairs.map((p) => p.anchor),
      b: pairs.map((p) => p.positive),
    },
    customFile(join(WORK, 'dev-sts.csv')),
  ];
  const d = evaluateDev(model, sets, [32, 256]).map((x) => x.score.toFixed(4));
  await model.close();
  devRows.push(`| ${label} | – | ${d[1]} | ${d[0]} | ${d[3]} |`);
};
await devScores(v1Dir, 'v1 (the previous default model, float16)');
await devScores(join(ROOT, 'models', 'default'), '**v2.4 (this model, int8)**');
const v1 = await evaluate(v1Dir),
  v2 = await evaluate(join(ROOT, 'models', 'default'));
writeFileSync(
  join(ROOT, 'models', 'default-build', 'eval-results.json'),
  JSON.stringify({ dims: DIMS, v1, v2 }, null, 0).replaceAll('},{', '},\n{') + '\n',
);

const n = (x) => x.toLocaleString('en-US');
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pick = (rs, task, split, dim, subset) =>
  rs
    .filter(
      (r) => r.task === task && r.split === split && r.dim === dim && (subset === undefined || r.subset === subset),
    )
    .map((r) => r.score);
const f4 = (x) => x.toFixed(4);
const TASKS = [
  ['STSb multi-mt test, English (Spearman)', 'STSBenchmarkMultilingualSTS', 'test', 'en'],
  ['STSb multi-mt test, 10-language average', 'STSBenchmarkMultilingualSTS', 'test'],
  ['STSb multi-mt dev, 10-language average (mean of per-language Spearman)', 'STSBenchmarkMultilingualSTS', 'dev'],
  ['Cross-lingual STSb test, en-{de,es,fr,it,nl,pl,pt,ru,zh} (both directions)', 'STSbCrossLingual', 'test'],
  ['Tatoeba, 112 languages, average F1', 'Tatoeba', 'test'],
];
const summary = [
  '| task | v1 (dim 256) | v2 dim 32 | v2 dim 64 | v2 dim 128 | **v2 dim 256** |',
  '|---|---:|---:|---:|---:|---:|',
];
for (const [label, task, split, subset] of TASKS) {
  summary.push(
    `| ${label} | ${f4(mean(pick(v1, task, split, 256, subset)))} | ${DIMS.map((d) =>
      f4(mean(pick(v2, task, split, d, subset))),
    )
      .map((s, i) => (i === 3 ? `**${s}**` : s))
      .join(' | ')} |`,
  );
}
const perLang = (task, split, title) => {
  const subsets = [...new Set(v2.filter((r) => r.task === task && r.split === split).map((r) => r.subset))];
  const rows = [`| ${title} | v1 | v2 | change |`, '|---|---:|---:|---:|'];
  for (const s of subsets) {
    const a = pick(v1, task, split, 256, s)[0],
      b = pick(v2, task, split, 256, s)[0];
    rows.push(`| ${s} | ${f4(a)} | ${f4(b)} | ${b - a >= 0 ? '+' : ''}${f4(b - a)} |`);
  }
  return rows.join('\n');
};
const stats = JSON.parse(readFileSync(join(ROOT, 'models', 'default-build', 'data-stats.json'), 'utf8'));
const dataRows = [
  '| source | pairs after cleaning | removed (overlap with an evaluation set) | pairs trained | languages | licence |',
  '|---|---:|---:|---:|---:|---|',
];
for (const [name, s] of Object.entries(stats.sources)) {
  if (name === 'parallel') continue;
  dataRows.push(
    `| ${name} | ${n(s.clean ?? s.raw)} | ${n(s.overlap)} | ${s.trained === false ? `none (${s.use})` : n(s.kept)} | ${s.languages ?? '–'} | ${s.licence} |`,
  );
}
const langRows = Object.entries(stats.languages).map(
  ([l, s]) => `${l} ${s.pairs.toLocaleString('en-US')}${s.repeat > 1 ? ` (×${s.repeat})` : ''}`,
);
// dev-set numbers of the recipes tried, read from the training logs in models/default-build/logs
const RUNS = [
  ['probe-bl-45k', '45,000 tokens (float16-size table), bert-lowercase, mixed-language batches'],
  ['probe-bu-88k', "88,000 tokens, bert-uncased (v1's normalizer), mixed-language batches"],
  ['probe-a', '90,000 tokens, bert-lowercase, mixed-language batches'],
  ['full-mixed', '88,000 tokens, bert-lowercase, mixed-language batches (stopped at 20 %)'],
  ['full-bylang', '88,000 tokens, bert-lowercase, per-language batches (stage 1 of v2)'],
  ['s2b', 'stage 2: stsb-multi-mt train, lr 0.05, 1 epoch'],
  ['s2e', 'stage 2: stsb-multi-mt train, lr 0.1, 1 epoch'],
  ['s2d', 'stage 2: stsb-multi-mt train, lr 0.05, 2 epochs'],
  ['s2a', 'stage 2: stsb-multi-mt train + NTREX, lr 0.05, 1 epoch (stopped at 40 %)'],
];
const recipeRows = [
  '| run | step | dev-bitext F1 @256 | dev-bitext F1 @32 | dev STSb Spearman @256 (10 languages pooled) |',
  '|---|---:|---:|---:|---:|',
];
for (const [name, label] of RUNS) {
  let log;
  try {
    log = readFileSync(join(ROOT, 'models', 'default-build', 'logs', `${name}.txt`), 'utf8');
  } catch {
    continue;
  }
  for (const m of log.matchAll(
    /^step (\d+): .*?bitext-f1@32 ([\d.]+), .*?bitext-f1@256 ([\d.]+), .*?spearman@256 ([\d.]+)/gm,
  )) {
    recipeRows.push(`| ${label} | ${Number(m[1]).toLocaleString('en-US')} | ${m[3]} | ${m[2]} | ${m[4]} |`);
  }
}
recipeRows.push(...devRows);
recipeRows.push(
  '',
  "Dev STSb in this table is one Spearman correlation over the ten languages' stsb-multi-mt dev pairs pooled into " +
    "one set (dev-sts.csv, as the trainer scores it); the summary and the table of this round's recipes give the " +
    'mean of the ten per-language Spearman correlations, so the same model has two different dev STSb numbers.',
);
const devRuns = devRunsTable();
const sections = {
  'default-model-recipes': recipeRows.join('\n'),
  'default-model-dev-runs': devRuns.join('\n'),
  'default-model-summary': summary.join('\n'),
  'default-model-sts': perLang('STSBenchmarkMultilingualSTS', 'test', 'STSb multi-mt test (dim 256)'),
  'default-model-crosslingual': perLang('STSbCrossLingual', 'test', 'cross-lingual STSb test (dim 256)'),
  'default-model-tatoeba': perLang('Tatoeba', 'test', 'Tatoeba (dim 256)'),
  'default-model-data': [
    dataRows.join('\n'),
    '',
    `Parallel pairs per language (after caps; ×n: upsampled n times): ${langRows.join(', ')}.`,
    `Evaluation texts checked for overlap: ${n(stats.evaluationTexts)} distinct ` +
      '(Tatoeba, stsb-multi-mt dev and test, PAWS-X, XNLI, multilingual sentiment).',
  ].join('\n'),
};
const replace = (file, names) => replaceSections(file, Object.fromEntries(names.map((n) => [n, sections[n]])));
replace(join(ROOT, 'models', 'default', 'README.md'), Object.keys(sections));
// the front matter's library_name: the library that reads the committed table (int8: static-embed only)
const card = join(ROOT, 'models', 'default', 'README.md');
const committed = await StaticModel.fromPretrained(join(ROOT, 'models', 'default'));
const info = committed.info();
await committed.close();
const DTYPES = { F32: 'float32', F16: 'float16', BF16: 'bfloat16', 'I8+scales': 'int8' };
if (!DTYPES[info.dtype]) throw new Error(`models/default: unknown table dtype ${info.dtype}`);
const front = /^---\n[\s\S]*?\n---\n/.exec(readFileSync(card, 'utf8'));
if (!front || !/^library_name: .*$/m.test(front[0])) throw new Error(`${card}: no library_name in the front matter`);
writeFileSync(
  card,
  readFileSync(card, 'utf8').replace(
    front[0],
    front[0].replace(/^library_name: .*$/m, `library_name: ${libraryName(info.layout, DTYPES[info.dtype])}`),
  ),
);
replace(join(ROOT, 'docs', 'models.md'), ['default-model-summary']);
console.log(summary.join('\n'));

/** Replaces each named section of a file (between its <!-- NAME:start --> and <!-- NAME:end --> markers). */
function replaceSections(file, texts) {
  let text = readFileSync(file, 'utf8');
  for (const [n, body] of Object.entries(texts)) {
    const re = new RegExp(`(<!-- ${n}:start -->)[\\s\\S]*?(<!-- ${n}:end -->)`);
    if (!re.test(text)) throw new Error(`${file}: no ${n} markers`);
    text = text.replace(re, (_, a, b) => `${a}\n${body}\n${b}`);
  }
  writeFileSync(file, text);
}

/** The recipes of this round, scored by scripts/default-model-dev.mjs: one row per line of dev-runs.jsonl. */
function devRunsTable() {
  const rows = [
    '| recipe | NTREX dev bitext F1 | STSb dev (mean of 10 languages) | cross-lingual STSb dev (en-xx) | ' +
      'translation is nearest (own dev pairs, one pool) | its margin | translation above every English sentence ' +
      '(own look-alike pool) | its margin |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const f4 = (x) => x.toFixed(4);
  try {
    for (const line of readFileSync(join(ROOT, 'models', 'default-build', 'logs', 'dev-runs.jsonl'), 'utf8')
      .trim()
      .split('\n')) {
      const r = JSON.parse(line);
      const opt = (k) => (r[k] === undefined ? '–' : f4(r[k]));
      rows.push(
        `| ${r.label} | ${f4(r['ntrex@256'])} | ${f4(r['stsDev@256'])} | ${f4(r['crossDev@256'])} | ` +
          `${opt('mixNN@256')} | ${opt('mixMargin@256')} | ${opt('lookNN@256')} | ${opt('lookMargin@256')} |`,
      );
    }
  } catch {
    rows.push('| (models/default-build/logs/dev-runs.jsonl missing) | | | | | | | |');
  }
  return rows;
}
