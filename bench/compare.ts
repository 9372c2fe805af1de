/**
 * This checkout against another build of static-embed (e.g. main before a change), side by side in one run:
 * single-thread in-process tokenization (`model.tokenizer.encodeBatch`) and encoding (`model.encode`) of the
 * benchmark corpus, each tree in its own child process, the trees alternating round after round (the machine is
 * shared and noisy: ratios of medians over interleaved runs, never absolute numbers against an old file).
 * Writes the "compare" section of bench/RESULTS.md.
 *
 * node dist/bench/compare.js --baseline DIR [--label TEXT] [--rounds N] [--repeats N] [--models DIR] [--corpus FILE]
 * (DIR: a checkout with dist/ built, e.g. `git archive <commit> | tar -x -C DIR`, node_modules linked, `tsc`)
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { machine, median, option, repoRoot, writeSection } from './lib.js';

const root = repoRoot();
const baseline = resolve(option('baseline') ?? '');
if (!option('baseline')) throw new Error('--baseline DIR is required (a built checkout to compare with)');
const label = option('label', baseline)!;
const rounds = Number(option('rounds', '6'));
const repeats = Number(option('repeats', '3'));
const modelsDir = option('models', '/tmp/bench-models')!;
const corpus = option('corpus', join(root, '..', 'shared', 'corpus', 'bench-corpus.txt'))!;
const MODELS = ['st-mbert-32d-f16', 'st-mbert-1024d-f32'];

/** One child: load the models through the tree's Node entry, warm up, time `repeats` runs of each workload. */
const CHILD = `
const [tree, corpus, modelsDir, repeats, models] = process.argv.slice(1);
const { readFileSync } = await import('node:fs');
const { StaticModel } = await import(tree + '/dist/src/node.js');
const lines = readFileSync(corpus, 'utf8').split('\\n');
if (lines[lines.length - 1] === '') lines.pop();
const out = {};
const time = (fn) => { const t = performance.now(); fn(); return (performance.now() - t) / 1000; };
for (const name of models.split(',')) {
  const model = await StaticModel.fromPretrained(modelsDir + '/' + name);
  model.encode(lines.slice(0, 2000));
  if (name === models.split(',')[0]) {
    model.tokenizer.encodeBatch(lines);
    out.tokenize = Array.from({ length: +repeats }, () => time(() => model.tokenizer.encodeBatch(lines)));
  }
  out['encode ' + name] = Array.from({ length: +repeats }, () => time(() => model.encode(lines, { workers: 1 })));
}
console.log(JSON.stringify(out));
`;

function child(tree: string): Record<string, number[]> {
  const r = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', CHILD, tree, corpus, modelsDir, String(repeats), MODELS.join(',')],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(`benchmark child for ${tree} failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number[]>;
}

const trees = { baseline, 'this checkout': root };
const times: Record<string, Record<string, number[]>> = { baseline: {}, 'this checkout': {} };
for (let r = 0; r < rounds; r++) {
  const order = r % 2 === 0 ? (['baseline', 'this checkout'] as const) : (['this checkout', 'baseline'] as const);
  for (const who of order) {
    for (const [k, v] of Object.entries(child(trees[who]))) (times[who]![k] ??= []).push(...v);
  }
  console.log(
    `round ${r + 1}/${rounds}: ` +
      Object.keys(times.baseline!)
        .map(
          (k) => `${k} ${median(times.baseline![k]!).toFixed(3)} / ${median(times['this checkout']![k]!).toFixed(3)} s`,
        )
        .join('; '),
  );
}
const rows = Object.keys(times.baseline!).map((k) => {
  const b = median(times.baseline![k]!),
    n = median(times['this checkout']![k]!);
  const change = (n / b - 1) * 100;
  return `| ${k} | ${b.toFixed(3)} | ${n.toFixed(3)} | ${change >= 0 ? '+' : ''}${change.toFixed(1)} % |`;
});
const body = `## This checkout vs a baseline build (single thread, in process)

Command: \`node dist/bench/compare.js --baseline DIR --label "${label}" --rounds ${rounds} --repeats ${repeats}\`.
Baseline: ${label}. Machine: ${machine()} (shared with other jobs). Date: ${new Date().toISOString().slice(0, 10)}.
Corpus: \`${corpus.replace(/^.*\/shared\//, '../shared/')}\`; models from \`${modelsDir}\`. Each tree runs in its own child
process, the two alternating over ${rounds} rounds of ${repeats} timed runs after a warm-up; medians of all runs.
Time change = this checkout / baseline − 1 (negative is faster).

| workload | baseline median s | this checkout median s | time change |
|---|---:|---:|---:|
${rows.join('\n')}
`;
console.log(body);
console.log(`wrote ${writeSection('compare', body)}`);
