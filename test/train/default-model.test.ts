/**
 * The embedded default model meets the floors of its issue on the evaluation sets (`static-embed eval`'s code):
 * stsb-multi-mt test English Spearman ≥ 0.65, 10-language average ≥ 0.58, Tatoeba average F1 ≥ 0.18 — and the
 * numbers its model card states.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadDefaultModel } from '../../src/node.js';
import { runEvaluation } from '../../src/entries/eval-node.js';
import { repoFile, sharedFile } from '../helpers/shared.js';

test('the default model: STSb test en ≥ 0.65, 10-language ≥ 0.58, Tatoeba F1 ≥ 0.18, as its card says', async (t) => {
  const data = sharedFile(t, 'eval');
  if (!data) return;
  const model = await loadDefaultModel();
  const run = await runEvaluation(model, { dataDir: data, tasks: ['sts', 'bitext'], workers: 2 });
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sts = run.results.filter((r) => r.task === 'STSBenchmarkMultilingualSTS' && r.split === 'test');
  const en = sts.find((r) => r.subset === 'en')!.main_score,
    all = mean(sts.map((r) => r.main_score));
  const tatoeba = mean(run.results.filter((r) => r.task === 'Tatoeba').map((r) => r.main_score));
  assert.equal(sts.length, 10);
  assert.ok(en >= 0.65, `STSb en ${en}`);
  assert.ok(all >= 0.58, `STSb 10-language ${all}`);
  assert.ok(tatoeba >= 0.18, `Tatoeba ${tatoeba}`);
  const card = readFileSync(repoFile('models/default/README.md'), 'utf8');
  for (const v of [en, all, tatoeba]) assert.ok(card.includes(v.toFixed(4)), `the model card states ${v.toFixed(4)}`);
  await model.close();
});
