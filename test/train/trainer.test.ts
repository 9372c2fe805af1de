/** Training: seeded and reproducible, the loss goes down, no-duplicate batches, the CLI trains and saves a model. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticModel } from '../../src/index.js';
import { Random } from '../../src/math/random.js';
import { epochBatches } from '../../src/train/data.js';
import { train, type Pair, type TrainState } from '../../src/entries/train.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { runCli } from '../helpers/cli.js';
import { repoFile } from '../helpers/shared.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const words = ['hello', 'world', 'good', 'day', 'worlds', '!'];
const pairs: Pair[] = Array.from({ length: 60 }, (_, i) => ({
  anchor: `${words[i % 6]} ${words[(i * 5) % 6]} ${i}`,
  positive: `${words[i % 6]} ${i}`,
}));

test('batches hold no duplicate text, cover the data, and depend only on the seed', () => {
  const dup: Pair[] = [...pairs, { anchor: pairs[0]!.anchor, positive: 'other' }];
  const a = epochBatches([dup], 8, new Random(3)),
    b = epochBatches([dup], 8, new Random(3));
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
  const a = run(),
    b = run();
  assert.ok(
    Buffer.from(a.m.table.buffer, a.m.table.byteOffset, a.m.table.byteLength).equals(
      Buffer.from(b.m.table.buffer, b.m.table.byteOffset, b.m.table.byteLength),
    ),
  );
  const first = a.r.losses.slice(0, 5).reduce((x, y) => x + y) / 5,
    last = a.r.losses.slice(-5).reduce((x, y) => x + y) / 5;
  assert.ok(last < first, `loss ${first} → ${last}`);
});

test('static-embed train, from scratch or --init, saves a loadable model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-train-'));
  const data = join(dir, 'pairs.tsv');
  writeFileSync(data, 'anchor\tpositive\n' + pairs.map((p) => `${p.anchor}\t${p.positive}`).join('\n') + '\n');
  const args = [
    'train',
    '--data',
    data,
    '--out',
    join(dir, 'scratch'),
    '--tokenizer',
    repoFile('test/fixtures/tokenizers/wordpiece-custom.json'),
    '--dim',
    '16',
    '--batch-size',
    '16',
    '--matryoshka-dims',
    '16,8',
    '--quiet',
  ];
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Trained \d+ steps/);
  assert.equal(loadModelFolder(join(dir, 'scratch')).dim, 16);
  const bad = await runCli(['train', '--data', data, '--out', join(dir, 'x')]);
  assert.match(bad.stderr, /give --init MODEL/);
  // --loss symmetric: MultipleNegativesSymmetricRankingLoss, a different table from the same seed
  const sym = await runCli([...args.slice(0, 4), join(dir, 'scratch-sym'), ...args.slice(5), '--loss', 'symmetric']);
  assert.equal(sym.code, 0, sym.stderr);
  const a = loadModelFolder(join(dir, 'scratch')).table,
    b = loadModelFolder(join(dir, 'scratch-sym')).table;
  assert.equal(a.length, b.length);
  assert.notDeepEqual(a, b);
  const badLoss = await runCli([...args, '--loss', 'hinge']);
  assert.equal(badLoss.code, 2);
  assert.match(badLoss.stderr, /--loss must be mnrl, symmetric, gte, distill or distill-cosine, got "hinge"/);
  // --distill-data: a second file distilled onto the --init model while the first trains contrastively
  const words = join(dir, 'words.tsv');
  writeFileSync(words, 'anchor\tpositive\n' + pairs.map((p) => `${p.positive}\t${p.anchor}`).join('\n') + '\n');
  const init = join(dir, 'scratch');
  const mixed = ['train', '--data', data, '--init', init, '--batch-size', '16', '--quiet', '--distill-data', words];
  const dd = await runCli([...mixed, '--out', join(dir, 'mixed')]);
  assert.equal(dd.code, 0, dd.stderr);
  const card = readFileSync(join(dir, 'mixed', 'README.md'), 'utf8');
  assert.match(card, /MNRL\) over dims 16; distillation onto the initial model \(cosine\) for words\.tsv/);
  const plain = await runCli([
    'train',
    '--data',
    `${data},${words}`,
    '--init',
    init,
    '--batch-size',
    '16',
    '--quiet',
    '--out',
    join(dir, 'plain'),
  ]);
  assert.equal(plain.code, 0, plain.stderr);
  assert.notDeepEqual(loadModelFolder(join(dir, 'mixed')).table, loadModelFolder(join(dir, 'plain')).table);
  for (const [extra, message] of [
    [
      ['--loss', 'distill'],
      /--distill-data adds distilled files to a contrastive run: give --loss mnrl, symmetric or gte \(got distill\)/,
    ],
    [['--distill-loss', 'hinge'], /--distill-loss must be distill or distill-cosine, got "hinge"/],
  ] as const) {
    const e = await runCli([...mixed, '--out', join(dir, 'bad'), ...extra]);
    assert.equal(e.code, 2, e.stderr);
    assert.match(e.stderr, message);
  }
  // a file too small for a batch, an empty name in a list, --distill-loss without --distill-data
  const one = join(dir, 'one.tsv');
  writeFileSync(one, 'anchor\tpositive\nbread\tBrot\n');
  const header = join(dir, 'header.tsv');
  writeFileSync(header, 'anchor\tpositive\n');
  const noDistill = mixed.slice(0, -2);
  for (const [file, message] of [
    [one, /one\.tsv has 1 pair: a training file needs at least 2/],
    [header, /header\.tsv has 0 pairs: a training file needs at least 2/],
    [`${words},`, /--distill-data ".*words\.tsv," has an empty file name/],
  ] as const) {
    const e = await runCli([...noDistill, '--out', join(dir, 'bad'), '--distill-data', file]);
    assert.equal(e.code, 2, e.stderr);
    assert.match(e.stderr, message);
  }
  const lone = await runCli([...noDistill, '--out', join(dir, 'bad'), '--distill-loss', 'distill']);
  assert.equal(lone.code, 2);
  assert.match(lone.stderr, /--distill-loss is the loss of --distill-data files/);
  const noInit = await runCli([...args.slice(0, 4), join(dir, 'bad'), ...args.slice(5), '--distill-data', words]);
  assert.equal(noInit.code, 2);
  assert.match(
    noInit.stderr,
    /--distill-data pulls translations onto the --init model's embeddings of the anchors: give --init MODEL/,
  );
});

test('a run stopped at a checkpoint and resumed = the uninterrupted run', () => {
  const opts = { datasets: [pairs], batchSize: 12, lr: 0.05, epochs: 3, seed: 5, matryoshkaDims: [4, 2] };
  const whole = StaticModel.fromBytes(tinyModelFiles());
  const full = train(whole, opts);
  const part = StaticModel.fromBytes(tinyModelFiles());
  let saved: TrainState | undefined;
  const first = train(part, {
    ...opts,
    stopAfter: 4,
    onCheckpoint: (s) => {
      saved = { ...s, optimizer: { m: s.optimizer.m.slice(), v: s.optimizer.v.slice(), t: s.optimizer.t.slice() } };
    },
  });
  assert.equal(first.steps, 4);
  assert.equal(saved?.step, 4);
  const rest = train(part, { ...opts, resume: saved! });
  assert.equal(rest.steps, full.steps - 4);
  assert.deepEqual(rest.losses, full.losses.slice(4));
  assert.ok(
    Buffer.from(part.table.buffer, part.table.byteOffset, part.table.byteLength).equals(
      Buffer.from(whole.table.buffer, whole.table.byteOffset, whole.table.byteLength),
    ),
  );
  assert.throws(() => train(part, { ...opts, epochs: 2, resume: saved! }), { code: 'INVALID_INPUT' });
});

describe('CLI: train stopped and resumed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-resume-'));
  const data = join(dir, 'pairs.tsv'),
    dev = join(dir, 'dev.csv'),
    devPairs = join(dir, 'dev-pairs.jsonl');
  writeFileSync(data, 'anchor\tpositive\n' + pairs.map((p) => `${p.anchor}\t${p.positive}`).join('\n') + '\n');
  writeFileSync(dev, 'text1,text2,score\nhello world,hello,4\ngood day,day,3\nhello,worlds,1\ngood,!,0\n');
  writeFileSync(
    devPairs,
    pairs
      .slice(0, 8)
      .map((p) => JSON.stringify(p))
      .join('\n') + '\n',
  );
  const tok = repoFile('test/fixtures/tokenizers/wordpiece-custom.json');
  const base = [
    'train',
    '--data',
    data,
    '--tokenizer',
    tok,
    '--dim',
    '16',
    '--batch-size',
    '8',
    '--epochs',
    '2',
    '--matryoshka-dims',
    '16,8',
  ];

  test('--eval-data scores a dev set while training', async () => {
    const full = await runCli([
      ...base,
      '--out',
      join(dir, 'full'),
      '--eval-data',
      `${dev},${devPairs}`,
      '--eval-steps',
      '5',
    ]);
    assert.equal(full.code, 0, full.stderr);
    assert.match(
      full.stderr,
      /step 5: .*dev\.csv spearman@8 -?\d\.\d{4}, .*dev\.csv spearman@16 .*dev-pairs\.jsonl bitext-f1@16 \d\.\d{4}/,
    );
    assert.match(full.stderr, /step \d+\/\d+ \(\d+ %\), loss \d+\.\d{4}, [\d,]+ pairs\/s, lr .*ETA/);
  });

  test('--max-steps stops after that step, with a checkpoint', async () => {
    const half = await runCli([...base, '--out', join(dir, 'split'), '--max-steps', '7']);
    assert.equal(half.code, 0, half.stderr);
    assert.match(half.stdout, /Stopped after step 7 of \d+/);
  });

  test('--resume refuses other options, defaults included', async () => {
    const other = await runCli([...base, '--out', join(dir, 'split'), '--resume', '--lr', '0.1']);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /other options \(lr: 0.2 then, 0.1 now\)/);
    // options left at their defaults count too: a changed --loss or --scale is refused
    const sym = await runCli([...base, '--out', join(dir, 'split'), '--resume', '--loss', 'symmetric']);
    assert.equal(sym.code, 2);
    assert.match(sym.stderr, /other options \(loss: "mnrl" then, "symmetric" now\)/);
    const scaled = await runCli([...base, '--out', join(dir, 'split'), '--resume', '--scale', '10']);
    assert.match(scaled.stderr, /scale: 20 then, 10 now/);
  });

  test('--resume finishes the same model as the uninterrupted run', async () => {
    const rest = await runCli([...base, '--out', join(dir, 'split'), '--resume']);
    assert.equal(rest.code, 0, rest.stderr);
    const a = loadModelFolder(join(dir, 'full')).table,
      b = loadModelFolder(join(dir, 'split')).table;
    assert.deepEqual(b, a);
  });

  test('--resume without a checkpoint is an error', async () => {
    const none = await runCli([...base, '--out', join(dir, 'nothing'), '--resume']);
    assert.match(none.stderr, /No checkpoint at .*checkpoint\.safetensors/);
  });
});
