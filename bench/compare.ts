/**
 * This checkout against another build of static-embed (e.g. main before a change), side by side in one run:
 * single-thread in-process tokenization (`model.tokenizer.encodeBatch`) and encoding (`model.encode`) of the
 * benchmark corpus. Both builds are loaded into this one process and timed in alternation, run after run (the
 * order flipping every run), so both see the same load on a shared, noisy machine; the result is the median of
 * the per-pair time ratios, with the medians of each side. Writes the "compare" section of bench/RESULTS.md.
 *
 * node dist/bench/compare.js --baseline DIR [--label TEXT] [--repeats N] [--models DIR] [--corpus FILE]
 * (DIR: a checkout with dist/ built, e.g. `git archive <commit> | tar -x -C DIR`, node_modules linked, `tsc`)
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { machine, median, option, repoRoot, writeSection } from './lib.js';

const root = repoRoot();
if (!option('baseline')) throw new Error('--baseline DIR is required (a built checkout to compare with)');
const baseline = resolve(option('baseline')!);
const label = option('label', baseline)!;
const repeats = Number(option('repeats', '10'));
const modelsDir = option('models', '/tmp/bench-models')!;
const corpus = option('corpus', join(root, '..', 'shared', 'corpus', 'bench-corpus.txt'))!;
const MODELS = ['st-mbert-32d-f16', 'st-mbert-1024d-f32'];

interface Model {
  tokenizer: { encodeBatch(texts: readonly string[]): unknown };
  encode(texts: readonly string[], o: { workers: number }): unknown;
}
type Entry = { StaticModel: { fromPretrained(p: string): Promise<Model> } };
const load = async (tree: string) => (await import(pathToFileURL(join(tree, 'dist', 'src', 'node.js')).href)) as Entry;
const sides = { baseline: await load(baseline), 'this checkout': await load(root) };

const lines = readFileSync(corpus, 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const time = (fn: () => unknown) => {
  const t = performance.now();
  fn();
  return (performance.now() - t) / 1000;
};

const rows: string[] = [];
for (const name of MODELS) {
  const models = {
    baseline: await sides.baseline.StaticModel.fromPretrained(join(modelsDir, name)),
    'this checkout': await sides['this checkout'].StaticModel.fromPretrained(join(modelsDir, name)),
  };
  const workloads: [string, (m: Model) => unknown][] = [[`encode ${name}`, (m) => m.encode(lines, { workers: 1 })]];
  if (name === MODELS[0]) workloads.unshift(['tokenize', (m) => m.tokenizer.encodeBatch(lines)]);
  for (const [what, fn] of workloads) {
    for (const m of Object.values(models)) fn(m); // warm-up
    const b: number[] = [],
      n: number[] = [],
      ratios: number[] = [];
    for (let r = 0; r < repeats; r++) {
      const [tb, tn] =
        r % 2 === 0
          ? [time(() => fn(models.baseline)), time(() => fn(models['this checkout']))]
          : [time(() => fn(models['this checkout'])), time(() => fn(models.baseline))].reverse();
      b.push(tb!);
      n.push(tn!);
      ratios.push(tn! / tb!);
    }
    const change = (median(ratios) - 1) * 100;
    console.log(
      `${what}: baseline ${median(b).toFixed(3)} s, this checkout ${median(n).toFixed(3)} s, ${change.toFixed(1)} %`,
    );
    rows.push(
      `| ${what} | ${median(b).toFixed(3)} | ${median(n).toFixed(3)} | ${change >= 0 ? '+' : ''}${change.toFixed(1)} % |`,
    );
  }
}
const body = `## This checkout vs a baseline build (single thread, in process)

Command: \`node dist/bench/compare.js --baseline DIR --label "${label}" --repeats ${repeats}\`.
Baseline: ${label}. Machine: ${machine()} (shared with other jobs). Date: ${new Date().toISOString().slice(0, 10)}.
Corpus: \`${corpus.replace(/^.*\/shared\//, '../shared/')}\`; models from \`${modelsDir}\`. Both builds are loaded in one
process and timed in alternation (${repeats} pairs after a warm-up, the order flipping each pair). Time change = the
median over pairs of (this checkout / baseline) − 1; negative is faster.

| workload | baseline median s | this checkout median s | time change |
|---|---:|---:|---:|
${rows.join('\n')}
`;
console.log(body);
console.log(`wrote ${writeSection('compare', body)}`);
