/** static-embed eval end to end (--quick): MTEB-format JSON, report.md, chart.svg, report.html; a user's own file. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { mtebResultKeys } from '../helpers/mteb.js';
import { SHARED_DIR, sharedFile } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'se-eval-'));

test(
  'eval --quick on every task family writes MTEB-format JSON per dimension and the report',
  { timeout: 120_000 },
  async (t) => {
    const model = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
    if (!model || !sharedFile(t, 'eval/stsb-multi-mt') || !sharedFile(t, 'eval/tatoeba')) return;
    const out = join(dir, 'quick');
    const r = await runCli([
      'eval',
      '--model',
      model,
      '--quick',
      '--dims',
      '4,8,16',
      '--out',
      out,
      '--data',
      join(SHARED_DIR, 'eval'),
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\| STSBenchmarkMultilingualSTS \| test \| 3 \|/);
    assert.deepEqual(readdirSync(out).sort(), ['chart.svg', 'dim-16', 'dim-4', 'dim-8', 'report.html', 'report.md']);
    const sts = JSON.parse(readFileSync(join(out, 'dim-16', 'STSBenchmarkMultilingualSTS.json'), 'utf8')) as {
      task_name: string;
      scores: Record<string, Array<{ hf_subset: string; main_score: number; cosine_spearman: number }>>;
    };
    assert.equal(sts.task_name, 'STSBenchmarkMultilingualSTS');
    // MTEB's fields unchanged, plus `sample`: a quick run's files are never taken for full-set results
    const raw = sts as unknown as Record<string, unknown>;
    assert.deepEqual(Object.keys(raw), mtebResultKeys(true));
    assert.equal(raw.embedding_dim, 16);
    const sample = raw.sample as Record<string, unknown>;
    assert.deepEqual([sample.quick, sample.seed, sample.rows], [true, 42, 400]);
    assert.match(String(sample.note), /not comparable with full-set or published MTEB scores/);
    for (const d of ['dim-4', 'dim-8', 'dim-16'])
      for (const f of readdirSync(join(out, d)))
        assert.equal(
          (JSON.parse(readFileSync(join(out, d, f), 'utf8')) as { sample?: { quick: boolean } }).sample?.quick,
          true,
          `${d}/${f}`,
        );
    assert.deepEqual(
      sts.scores.test!.map((s) => s.hf_subset),
      ['en', 'de', 'zh'],
    );
    for (const s of sts.scores.test!) assert.equal(s.main_score, s.cosine_spearman);
    for (const f of ['Tatoeba', 'PawsXPairClassification', 'XNLI', 'MultilingualSentiment'])
      assert.ok(existsSync(join(out, 'dim-8', `${f}.json`)), f);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(md, /## Matryoshka curve/);
    // a subset is labelled as such and never put beside published full-set scores
    assert.match(md, /^# Evaluation of .* \(quick subset\)$/m);
    assert.match(md, /## Summary of a quick subset .*not comparable with full-set or published scores/);
    assert.match(md, /a random sample \(seed 42, the same rows every run\) of at most 400 items per language/);
    assert.doesNotMatch(md, /static-similarity-mrl-multilingual-v1|potion-/);
    assert.match(r.stdout, /quick subset/);
    const svg = readFileSync(join(out, 'chart.svg'), 'utf8');
    assert.equal((svg.match(/<polyline/g) ?? []).length, 6, 'one line per task');
    assert.ok(existsSync(join(out, 'dim-8', 'STSbCrossLingual.json')));
    assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /<svg[\s\S]*<table>/);
  },
);

test("eval on a user's own TSV (text1, text2, score) and clear errors", async (t) => {
  const model = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!model) return;
  const f = join(dir, 'mine.tsv');
  writeFileSync(
    f,
    'text1\ttext2\tscore\nA man is eating.\tA man eats.\t4.5\nA cat sleeps.\tThe stock market fell.\t0.2\nKids play.\tChildren are playing.\t4.2\n',
  );
  const out = join(dir, 'own');
  const r = await runCli([
    'eval',
    '--model',
    model,
    '--tasks',
    'sts',
    '--file',
    f,
    '--out',
    out,
    '--data',
    join(SHARED_DIR, 'eval'),
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /custom:/);
  // a full run: the published references stand beside the scores, and the result files have no `sample` field
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /\| static-similarity-mrl-multilingual-v1 \|/);
  for (const f of readdirSync(join(out, 'dim-16')))
    assert.ok(!('sample' in (JSON.parse(readFileSync(join(out, 'dim-16', f), 'utf8')) as object)), f);
  const bad = join(dir, 'bad.tsv');
  writeFileSync(bad, 'a\tb\nx\ty\n');
  const e = await runCli(['eval', '--model', model, '--tasks', 'sts', '--file', bad, '--out', out]);
  assert.equal(e.code, 2);
  assert.match(e.stderr, /no column "text1"/);
  const e2 = await runCli(['eval', '--model', model, '--tasks', 'retrieval', '--out', out]);
  assert.match(e2.stderr, /Unknown task "retrieval"/);
  const e3 = await runCli(['eval', '--model', model, '--dims', '8,x', '--out', out]);
  assert.match(e3.stderr, /--dims must be a comma-separated list/);
  // a dimension above the model's is an error naming the model's dimension and the range, not scored at 16
  for (const dims of ['32', '8,32']) {
    const e4 = await runCli(['eval', '--model', model, '--tasks', 'sts', '--file', f, '--dims', dims, '--out', out]);
    assert.equal(e4.code, 2, e4.stderr);
    assert.match(
      e4.stderr,
      /error \[INVALID_ARGUMENT\]: --dims: 32 is not a dimension of this model \(it has 16\); give --dims from 1 to 16/,
    );
  }
  // --out that is a file: said before any work
  const e5 = await runCli(['eval', '--model', model, '--tasks', 'sts', '--file', f, '--out', f]);
  assert.equal(e5.code, 2, e5.stderr);
  assert.match(e5.stderr, /error \[IO_ERROR\]: --out .*mine\.tsv is a file, not a folder\. Give a new folder/);
  // one result file: "1 result file," (only the user's file: no datasets folder)
  const one = await runCli(['eval', '--model', model, '--file', f, '--out', join(dir, 'one')], undefined, {
    STATIC_EMBED_EVAL_DATA: undefined,
  } as unknown as Record<string, string>);
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /\n1 result file, report\.md/);
});
