// Dev-set scores of a model folder, the numbers that choose the default model's recipe (never a test split):
// NTREX-128 held-out sentences (bitext mining F1 per language, xx → English among that language's held-out
// sentences, averaged), the stsb-multi-mt dev split in ten languages (Spearman, averaged) and the cross-lingual STSb
// dev split (en-xx, both directions, averaged), and the translation pairs of scripts/default-data/dev-translation-pairs.json
// (own short sentences in 14 scripts, all in one pool: mixNN = the share of sentences whose translation is their
// nearest neighbour, mixMargin = the mean of its cosine minus the best other one). Prints one JSON line.
//
// With --log FILE --label TEXT the line (with the label) is also appended to FILE, e.g. models/default-build/logs/dev-runs.jsonl,
// which scripts/default-model-card.mjs turns into the card's table of recipes.
//
// Usage: npm run build && node scripts/default-model-dev.mjs MODEL [DATA_DIR (default /tmp/static-embed-default-v2)]
//          [--dims 32,256] [--log FILE --label TEXT] [--per-language FILE]
// --per-language FILE writes every dev set's own score (NTREX per language, STSb dev per language and direction) as JSON.
// --look-details prints each look-alike triple's two cosines (translation, look-alike) at the largest dim on stderr.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StaticModel } from '../dist/src/node.js';
import { evaluateDev } from '../dist/src/train/dev-eval.js';
import { stsb, stsbCrossLingual } from '../dist/src/runtime/node/eval-datasets.js';

const args = process.argv.slice(2);
const di = args.indexOf('--dims');
const dims = di >= 0 ? args.splice(di, 2)[1].split(',').map(Number) : [256];
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const lookDetails = args.includes('--look-details');
if (lookDetails) args.splice(args.indexOf('--look-details'), 1);
const logFile = opt('--log'),
  label = opt('--label'),
  perLanguage = opt('--per-language');
const [modelPath, dataDir = '/tmp/static-embed-default-v3'] = args;
const EVAL = new URL('../../shared/eval', import.meta.url).pathname;
const model = await StaticModel.fromPretrained(modelPath);
const byLang = new Map();
for (const line of readFileSync(join(dataDir, 'dev-ntrex.jsonl'), 'utf8').trim().split('\n')) {
  const p = JSON.parse(line);
  if (!byLang.has(p.lang)) byLang.set(p.lang, { a: [], b: [] });
  byLang.get(p.lang).a.push(p.anchor);
  byLang.get(p.lang).b.push(p.positive);
}
const ntrexSets = [...byLang].map(([lang, s]) => ({
  task: `ntrex-${lang}`,
  type: 'bitext',
  split: 'dev',
  subset: lang,
  ...s,
}));
const cross = stsbCrossLingual(EVAL, 'dev').flatMap((x) => [x, { ...x, a: x.reverse.a, b: x.reverse.b }]);
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
const out = {},
  each = {};
for (const [name, sets] of [
  ['ntrex', ntrexSets],
  ['stsDev', stsb(EVAL, 'dev')],
  ['crossDev', cross],
]) {
  const scores = evaluateDev(model, sets, dims);
  // scores come set by set, dim by dim
  sets.forEach((set, i) =>
    dims.forEach((d, k) => (each[`${name}:${set.subset ?? set.task}:${i}@${d}`] = scores[i * dims.length + k].score)),
  );
  for (const d of dims)
    out[`${name}@${d}`] = Number(mean(scores.filter((s) => s.dim === d).map((s) => s.score)).toFixed(4));
}
// one mixed-language pool: each sentence's nearest neighbour among all others should be its translation
const { pairs } = JSON.parse(readFileSync(new URL('default-data/dev-translation-pairs.json', import.meta.url), 'utf8'));
const texts = pairs.flatMap(([a, b]) => [a, b]);
const emb = model.encode(texts, { normalize: false });
for (const d of dims) {
  const unit = texts.map((_, i) => {
    const v = emb.data.subarray(i * emb.cols, i * emb.cols + d);
    const norm = Math.hypot(...v) || 1;
    return Array.from(v, (x) => x / norm);
  });
  const cos = (i, j) => unit[i].reduce((s, x, k) => s + x * unit[j][k], 0);
  let hits = 0,
    margin = 0;
  for (let i = 0; i < texts.length; i++) {
    let best = -Infinity;
    for (let j = 0; j < texts.length; j++) if (j !== i && j !== (i ^ 1)) best = Math.max(best, cos(i, j));
    const own = cos(i, i ^ 1);
    if (own > best) hits++;
    margin += own - best;
  }
  out[`mixNN@${d}`] = Number((hits / texts.length).toFixed(4));
  out[`mixMargin@${d}`] = Number((margin / texts.length).toFixed(4));
}
// look-alikes (scripts/default-data/dev-lookalikes.json): each English sentence's translation should outrank every
// other English sentence of the pool, its look-alike included (lookNN: the share that does; lookMargin: the mean of
// the translation's cosine minus the best English one)
const { triples } = JSON.parse(readFileSync(new URL('default-data/dev-lookalikes.json', import.meta.url), 'utf8'));
const lookTexts = triples.flatMap(([en, xx, look]) => [en, xx, look]);
const lookEmb = model.encode(lookTexts, { normalize: false });
for (const d of dims) {
  const unit = lookTexts.map((_, i) => {
    const v = lookEmb.data.subarray(i * lookEmb.cols, i * lookEmb.cols + d);
    const norm = Math.hypot(...v) || 1;
    return Array.from(v, (x) => x / norm);
  });
  const cos = (i, j) => unit[i].reduce((s, x, k) => s + x * unit[j][k], 0);
  let hits = 0,
    margin = 0;
  for (let t = 0; t < triples.length; t++) {
    let best = -Infinity;
    for (let u = 0; u < triples.length; u++)
      for (const k of [3 * u, 3 * u + 2]) if (k !== 3 * t) best = Math.max(best, cos(3 * t, k));
    const own = cos(3 * t, 3 * t + 1);
    if (lookDetails && d === Math.max(...dims)) {
      const look = cos(3 * t, 3 * t + 2);
      console.error(`${triples[t][3]}\t${own.toFixed(2)}\t${look.toFixed(2)}\t${own > best ? 'first' : 'not first'}`);
    }
    if (own > best) hits++;
    margin += own - best;
  }
  out[`lookNN@${d}`] = Number((hits / triples.length).toFixed(4));
  out[`lookMargin@${d}`] = Number((margin / triples.length).toFixed(4));
}
console.log(JSON.stringify({ model: modelPath, ...out }));
if (perLanguage) writeFileSync(perLanguage, JSON.stringify(each, null, 1) + '\n');
if (logFile) appendFileSync(logFile, JSON.stringify({ label: label ?? modelPath, ...out }) + '\n');
