/** Training: seeded and reproducible, the loss goes down, no-duplicate batches, the CLI trains and saves a model. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Random, StaticModel, epochBatches, train, type Pair } from '../../src/index.js';
import { loadModelFolder } from '../../src/io.js';
import { runCli } from '../helpers/cli.js';
import { repoFile } from '../helpers/shared.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const words = ['hello', 'world', 'good', 'day', 'worlds', '!'];
const pairs: Pair[] = Array.from({ length: 60 }, (_, i) => ({ anchor: `${words[i % 6]} ${words[(i * 5) % 6]} ${i}`, positive: `${words[i % 6]} ${i}` }));

test('batches hold no duplicate text, cover the data, and depend only on the seed', () => {
  const dup: Pair[] = [...pairs, { anchor: pairs[0]!.anchor, positive: 'other' }];
  const a = epochBatches([dup], 8, new Random(3)), b = epochBatches([dup], 8, new Random(3));
  assert.deepEqual(a, b);
  for (const batch of a) {
    const texts = batch.flatMap((p) => [p.anchor, p.positive]);
    assert.equal(new Set(texts).size, texts.length, 'no text twice in a batch');
  }
  assert.equal(a.flat().length, dup.length);
});

test('training lowers the loss and is reproducible bit for bit with a seed', () => {
  const run = () => {
    const m = StaticModel.fromBytes(tinyModelFiles());
    const r = train(m, { datasets: [pairs], batchSize: 12, lr: 0.05, epochs: 5, seed: 11, matryoshkaDims: [4, 2] });
    return { m, r };
  };
  const a = run(), b = run();
  assert.ok(Buffer.from(a.m.table.buffer, a.m.table.byteOffset, a.m.table.byteLength).equals(Buffer.from(b.m.table.buffer, b.m.table.byteOffset, b.m.table.byteLength)));
  const first = a.r.losses.slice(0, 5).reduce((x, y) => x + y) / 5, last = a.r.losses.slice(-5).reduce((x, y) => x + y) / 5;
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('static-embed train from scratch (tokenizer + dim) and fine-tuning (--init) save loadable models', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-train-'));
  const data = join(dir, 'pairs.tsv');
  writeFileSync(data, 'anchor\tpositive\n' + pairs.map((p) => `${p.anchor}\t${p.positive}`).join('\n') + '\n');
  const r = await runCli(['train', '--data', data, '--out', join(dir, 'scratch'), '--tokenizer', repoFile('test/fixtures/tokenizers/wordpiece-custom.json'), '--dim', '16', '--batch-size', '16', '--matryoshka-dims', '16,8', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Trained \d+ steps/);
  assert.equal(loadModelFolder(join(dir, 'scratch')).dim, 16);
  const bad = await runCli(['train', '--data', data, '--out', join(dir, 'x')]);
  assert.match(bad.stderr, /give --init MODEL/);
});
