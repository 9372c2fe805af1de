/** search, mine, cluster, classify as a new user tries them: small files, --json, clear errors on bad data. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { sharedFile } from '../helpers/shared.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'se-tasks-'));
const model = join(dir, 'tiny');
for (const [p, b] of Object.entries(tinyModelFiles())) {
  mkdirSync(dirname(join(model, p)), { recursive: true });
  writeFileSync(join(model, p), b);
}
const corpus = join(dir, 'corpus.txt');
writeFileSync(corpus, 'hello world\ngood day\nhello hello\nworlds!\ngood good day\n');

describe('search', () => {
  test('prints readable results, --query repeatable', async () => {
    const r = await runCli([
      'search',
      '--model',
      model,
      '--corpus',
      corpus,
      '--query',
      'hello',
      '--query',
      'day',
      '--top-k',
      '2',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Query: hello\n\s+1\. 1\.0000\s+\[3\] hello hello/);
  });

  test('--json prints the hits', async () => {
    const j = JSON.parse(
      (await runCli(['search', '--model', model, '--corpus', corpus, '--query', 'hello', '--json'])).stdout,
    ) as Array<{ hits: Array<{ corpus_id: number }> }>;
    assert.equal(j[0]!.hits[0]!.corpus_id, 2);
  });

  test('without --query is an error', async () => {
    const bad = await runCli(['search', '--model', model, '--corpus', corpus]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /give --query TEXT/);
  });
});

describe('mine and cluster', () => {
  test('mine lists pairs by falling score', async () => {
    const m = await runCli(['mine', '--model', model, '--input', corpus, '--json']);
    assert.equal(m.code, 0, m.stderr);
    const pairs = JSON.parse(m.stdout) as Array<{ score: number; i: number; j: number }>;
    assert.ok(pairs.length > 0 && pairs.every((p) => p.i < p.j));
    for (let k = 1; k < pairs.length; k++) assert.ok(pairs[k - 1]!.score >= pairs[k]!.score);
  });

  test('mine --max-pairs N prints the N best pairs, 1 included', async () => {
    const all = JSON.parse((await runCli(['mine', '--model', model, '--input', corpus, '--json'])).stdout) as unknown[];
    assert.ok(all.length >= 3);
    for (const n of [1, 2, 3]) {
      const m = await runCli(['mine', '--model', model, '--input', corpus, '--max-pairs', String(n), '--json']);
      assert.equal(m.code, 0, m.stderr);
      assert.deepEqual(JSON.parse(m.stdout), all.slice(0, n), `--max-pairs ${n}`);
    }
  });

  test('cluster --k labels every text', async () => {
    const k = await runCli(['cluster', '--model', model, '--input', corpus, '--k', '2', '--json']);
    assert.equal(k.code, 0, k.stderr);
    assert.equal((JSON.parse(k.stdout) as { labels: number[] }).labels.length, 5);
  });

  test('cluster --json: line i is in clusters[labels[i]], largest cluster first, for k-means and agglomerative', async () => {
    const lines = ['hello world', 'good day', '', 'hello hello', 'worlds!', 'good good day', 'hello world!', 'day'];
    const file = join(dir, 'cluster-lines.txt');
    writeFileSync(file, lines.join('\n') + '\n');
    for (const how of [
      ['--k', '3'],
      ['--threshold', '0.9'],
    ]) {
      const r = await runCli(['cluster', '--model', model, '--input', file, ...how, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const { labels, clusters } = JSON.parse(r.stdout) as { labels: number[]; clusters: number[][] };
      assert.equal(labels[2], -1);
      labels.forEach((l, i) => {
        if (l >= 0) assert.ok(clusters[l]!.includes(i), `${how.join(' ')}: line ${i} in clusters[${l}]`);
      });
      for (let n = 1; n < clusters.length; n++) assert.ok(clusters[n - 1]!.length >= clusters[n]!.length);
    }
  });

  test('cluster --threshold prints the clusters', async () => {
    const t = await runCli(['cluster', '--model', model, '--input', corpus, '--threshold', '0.99']);
    assert.match(t.stdout, /Cluster 1 \(\d+ texts?\)/);
  });

  test('--k and --threshold together are an error', async () => {
    const both = await runCli(['cluster', '--model', model, '--input', corpus, '--k', '2', '--threshold', '0.5']);
    assert.match(both.stderr, /exactly one of --k K/);
  });

  test('--k above the number of texts is an error', async () => {
    const tooMany = await runCli(['cluster', '--model', model, '--input', corpus, '--k', '9']);
    assert.match(tooMany.stderr, /--k 9 is more than the 5 texts/);
  });
});

describe('classify train / predict on a small CSV, TSV and JSONL', () => {
  const csv = join(dir, 'train.csv');
  writeFileSync(csv, 'text,label\nhello world,a\n"good, day",b\nhello hello,a\ngood good day,b\n');
  const clf = join(dir, 'clf.json');

  test('train, then predict', async () => {
    const tr = await runCli(['classify', 'train', '--model', model, '--data', csv, '--out', clf]);
    assert.equal(tr.code, 0, tr.stderr);
    assert.match(tr.stdout, /Trained on 4 texts, 2 classes \(a, b\)/);
    const pr = await runCli(
      ['classify', 'predict', '--model', model, '--classifier', clf, '--input', '-'],
      'hello\ngood day\n',
    );
    assert.equal(pr.code, 0, pr.stderr);
    assert.deepEqual(
      pr.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]),
      ['a', 'b'],
    );
  });

  test('errors name the line and column', async () => {
    const tsv = join(dir, 'train.tsv');
    writeFileSync(tsv, 'text\tlabel\nhello\ta\nday\n');
    const e1 = await runCli(['classify', 'train', '--model', model, '--data', tsv, '--out', clf, '--overwrite']);
    assert.match(e1.stderr, /train\.tsv:3: 1 fields, but the header names 2/);
    const jl = join(dir, 'train.jsonl');
    writeFileSync(jl, '{"text": "hello", "label": "a"}\n{"text": "day"}\n');
    const e2 = await runCli(['classify', 'train', '--model', model, '--data', jl, '--out', clf, '--overwrite']);
    assert.match(e2.stderr, /train\.jsonl:2: field "label" is missing; every row needs a label/);
    const e3 = await runCli([
      'classify',
      'train',
      '--model',
      model,
      '--data',
      csv,
      '--out',
      clf,
      '--overwrite',
      '--label-column',
      'y',
    ]);
    assert.match(e3.stderr, /no column "y"; the columns are text, label/);
  });

  test('a classifier that is not JSON is an error', async () => {
    const e4 = await runCli(['classify', 'predict', '--model', model, '--classifier', csv, '--input', corpus]);
    assert.match(e4.stderr, /is not JSON/);
  });

  test('a subcommand other than train or predict is an error', async () => {
    const e5 = await runCli(['classify', 'guess', '--model', model]);
    assert.match(e5.stderr, /"train" or "predict"/);
  });
});

test('classify on multilingual-sentiment from ../shared', async (t) => {
  const train = sharedFile(t, 'eval/multilingual-sentiment/german/train.csv');
  const m16 = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!train || !m16) return;
  const clf = join(dir, 'de.json');
  const r = await runCli(['classify', 'train', '--model', m16, '--data', train, '--out', clf]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /3 classes \(negative, neutral, positive\)/);
  assert.equal((JSON.parse(readFileSync(clf, 'utf8')) as { dim: number }).dim, 16);
});
