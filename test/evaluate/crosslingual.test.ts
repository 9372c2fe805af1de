/**
 * The cross-lingual STSb task: English sentence 1 with sentence 2 in language xx (and the reverse), the English
 * gold score, a language's score the mean of both directions — checked against scores computed by hand from
 * `encode` output, on a small aligned data set written here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticModel } from '../../src/model/static-model.js';
import { runEvaluation } from '../../src/runtime/node/eval-run.js';
import { STSB_CROSS_LANGS, stsbCrossLingual } from '../../src/runtime/node/eval-datasets.js';
import { evaluateSts } from '../../src/evaluate/sts.js';
import { StaticEmbedError } from '../../src/errors.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const EN = [
  ['hello world', 'good day', '1.0'],
  ['hello', 'hello worlds', '4.5'],
  ['good day!', 'day', '3.0'],
  ['worlds', 'good', '0.5'],
  ['hello day', 'world good', '2.0'],
];
// a "translation" per language: the same rows with the words permuted differently per language
const words = ['hello', 'world', 'good', 'day', 'worlds'];
const translate = (t: string, k: number) =>
  t.replace(/[a-z]+/g, (w) => words[(words.indexOf(w) + k) % words.length] ?? w);

function dataDir(mismatch = false): string {
  const root = mkdtempSync(join(tmpdir(), 'se-xl-'));
  const d = join(root, 'stsb-multi-mt', 'data');
  mkdirSync(d, { recursive: true });
  const csv = (rows: string[][]) => rows.map((r) => r.map((c) => `"${c}"`).join(',')).join('\n') + '\n';
  writeFileSync(join(d, 'stsb-en-test.csv'), csv(EN));
  STSB_CROSS_LANGS.forEach((l, k) => {
    const rows = EN.map(([a, b, s]) => [translate(a!, k % 3), translate(b!, (k + 1) % 4), s!]);
    writeFileSync(join(d, `stsb-${l}-test.csv`), csv(mismatch && l === 'ru' ? rows.slice(1) : rows));
  });
  return root;
}

test('cross-lingual STSb: mean of both directions, English gold scores, one result per en-xx', async () => {
  const root = dataDir();
  const model = StaticModel.fromBytes(tinyModelFiles());
  const run = await runEvaluation(model, { dataDir: root, tasks: ['STSbCrossLingual'], dims: [2, 4] });
  // a dimension above the model's (4) is an error, not silently scored at 4
  await assert.rejects(runEvaluation(model, { dataDir: root, tasks: ['STSbCrossLingual'], dims: [2, 8] }), {
    code: 'INVALID_ARGUMENT',
    message: /^dims: 8 is not a dimension of this model \(it has 4\); give dims from 1 to 4/,
  });
  assert.deepEqual(
    run.results.filter((r) => r.dim === 4).map((r) => r.subset),
    STSB_CROSS_LANGS.map((l) => `en-${l}`),
  );
  const items = stsbCrossLingual(root);
  for (const it of items) {
    const gold = EN.map((r) => Number(r[2]) / 5);
    assert.deepEqual(it.scores, gold);
    const enc = (t: string[]) => model.encode(t, { normalize: false });
    const forward = evaluateSts(enc(it.a), enc(it.b), gold).cosine_spearman;
    const backward = evaluateSts(enc(it.reverse!.a), enc(it.reverse!.b), gold).cosine_spearman;
    assert.deepEqual(
      it.a,
      EN.map((r) => r[0]),
    );
    assert.deepEqual(
      it.reverse!.b,
      EN.map((r) => r[1]),
    );
    const r = run.results.find((x) => x.subset === it.subset && x.dim === 4)!;
    assert.equal(r.task, 'STSbCrossLingual');
    assert.ok(
      Math.abs(r.main_score - (forward + backward) / 2) < 1e-12,
      `${it.subset}: ${r.main_score} vs ${(forward + backward) / 2}`,
    );
    assert.equal(r.main_score, r.scores.cosine_spearman);
  }
});

test('cross-lingual STSb: files that are not row-aligned are a clear error', () => {
  assert.throws(
    () => stsbCrossLingual(dataDir(true)),
    (e: unknown) =>
      e instanceof StaticEmbedError && e.code === 'INVALID_INPUT' && /5 English rows but 4 ru rows/.test(e.message),
  );
});
