/**
 * The CLI's shared argument rules: `--model static-embed-default` and the embedded model's id
 * (`static-embed-default-v2`, what eval, classify and serve write) name the embedded default model in every command
 * (one resolver; a path of that name in the working directory wins, and an error loading it says so), and values that
 * start with "-".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { attachDashValues } from '../../src/cli/dash-values.js';
import { resolveModel } from '../../src/cli/model-arg.js';
import {
  DEFAULT_MODEL_NAME,
  DEFAULT_MODEL_PATH,
  defaultModelId,
  isDefaultModelName,
} from '../../src/runtime/node/default-model.js';
import { StaticEmbedError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

test('--model static-embed-default or static-embed-default-v2: the embedded default model in every command', async () => {
  assert.equal(DEFAULT_MODEL_NAME, 'static-embed-default');
  assert.equal(defaultModelId(), 'static-embed-default-v2');
  assert.equal(resolveModel('static-embed-default'), DEFAULT_MODEL_PATH);
  assert.equal(resolveModel('static-embed-default-v2'), DEFAULT_MODEL_PATH);
  assert.ok(isDefaultModelName('static-embed-default-v2') && !isDefaultModelName('static-embed-default-v1'));
  assert.equal(resolveModel('org/model'), 'org/model');
  const dir = mkdtempSync(join(tmpdir(), 'se-name-'));
  const input = join(dir, 'in.txt');
  writeFileSync(input, 'I used to hate him.\nThe weather is nice today.\n');
  const M = ['--model', 'static-embed-default'];
  // the same output as without --model, by either name
  const cases: string[][] = [
    ['info', '--json'],
    ['encode', '--input', input, '--format', 'jsonl', '--dim', '8'],
    ['similarity', 'a cat', 'a kitten'],
    ['search', '--corpus', input, '--query', 'weather', '--json'],
    ['mine', '--input', input, '--json'],
    ['cluster', '--input', input, '--k', '2', '--json'],
    ['tokenize', '--input', input],
  ];
  for (const c of cases) {
    const omitted = await runCli(c);
    for (const name of ['static-embed-default', 'static-embed-default-v2']) {
      const named = await runCli([...c, '--model', name]);
      assert.equal(named.code, 0, `${c[0]}: ${named.stderr}`);
      assert.equal(named.stdout, omitted.stdout, `${c[0]} --model ${name} = no --model`);
    }
  }
  // convert: the embedded model's licence and name go with the copy
  const out = join(dir, 'copy');
  const r = await runCli(['convert', ...M, '--dim', '16', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const card = readFileSync(join(out, 'README.md'), 'utf8');
  assert.match(card, /^license: cc-by-sa-4\.0$/m);
  assert.match(card, /^- Source: static-embed-default-v2 \(the embedded default model of static-embed\)$/m);
  // train --init: fine-tunes it; the card names the model and the data without this machine's paths
  const pairs = join(dir, 'pairs.tsv');
  writeFileSync(pairs, 'anchor\tpositive\nI used to hate him.\tРаньше я ненавидел его.\na cat\tun chat\n');
  const tuned = join(dir, 'tuned');
  const tr = await runCli([
    'train',
    '--init',
    'static-embed-default',
    '--data',
    pairs,
    '--out',
    tuned,
    '--batch-size',
    '2',
  ]);
  assert.equal(tr.code, 0, tr.stderr);
  const trCard = readFileSync(join(tuned, 'README.md'), 'utf8');
  assert.match(trCard, /^- Source: static-embed-default-v2 \(the embedded default model of static-embed\)$/m);
  assert.match(trCard, /trained 1 steps on pairs\.tsv /);
  assert.ok(!trCard.includes(dir), 'no path of this machine');
  // ... and carries its licence as convert does: the card's license: id and the LICENSE file
  assert.match(trCard, /^license: cc-by-sa-4\.0$/m);
  assert.deepEqual(readFileSync(join(tuned, 'LICENSE')), readFileSync(join(DEFAULT_MODEL_PATH, 'LICENSE')));
  // a folder of that name in the working directory is loaded as a folder
  const local = join(dir, 'static-embed-default');
  for (const [p, b] of Object.entries(tinyModelFiles())) {
    mkdirSync(dirname(join(local, p)), { recursive: true });
    writeFileSync(join(local, p), b);
  }
  const info = await runCli(['info', '--json', ...M], undefined, undefined, dir);
  assert.equal(info.code, 0, info.stderr);
  assert.equal((JSON.parse(info.stdout) as { dim: number }).dim, 4);
});

test("train --init carries a local source folder's licence (the card id, LICENSE and NOTICE files), as convert does", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-licence-'));
  const src = join(dir, 'src-model');
  for (const [p, b] of Object.entries(tinyModelFiles())) {
    mkdirSync(dirname(join(src, p)), { recursive: true });
    writeFileSync(join(src, p), b);
  }
  writeFileSync(join(src, 'README.md'), '---\nlicense: mit\n---\n\n# org/tiny\n');
  writeFileSync(join(src, 'LICENSE'), 'MIT License, tiny\n');
  writeFileSync(join(src, 'NOTICE'), 'a notice\n');
  const pairs = join(dir, 'pairs.tsv');
  writeFileSync(pairs, 'anchor\tpositive\nhello world\tgood day\nhellos\tday!\n');
  const cards: string[] = [];
  for (const [command, out] of [
    [['train', '--init', src, '--data', pairs, '--batch-size', '2', '--quiet'], join(dir, 'trained')],
    [['convert', '--model', src], join(dir, 'converted')],
  ] as const) {
    const r = await runCli([...command, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(readFileSync(join(out, 'LICENSE'), 'utf8'), 'MIT License, tiny\n', command[0]);
    assert.equal(readFileSync(join(out, 'NOTICE'), 'utf8'), 'a notice\n', command[0]);
    const card = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(card, /^license: mit$/m, command[0]);
    cards.push(/^- Source: .*$/m.exec(card)![0]);
  }
  // one source line for both
  assert.deepEqual(cards, [
    '- Source: org/tiny (local folder "src-model")',
    '- Source: org/tiny (local folder "src-model")',
  ]);
});

test("every name static-embed writes for the embedded model can be given back: eval's Command line, classify, index", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-names-'));
  const pairs = join(dir, 'pairs.tsv');
  writeFileSync(pairs, 'text1\ttext2\tscore\nhello world\thello\t4\ngood day\tworld\t1\nhello hello\tgood\t2\n');
  const noData = { STATIC_EMBED_EVAL_DATA: undefined } as unknown as Record<string, string>;
  // eval: the report's Command line runs again as written (from the folder of the data, as it names files by base name)
  const first = await runCli(
    ['eval', '--model', 'static-embed-default', '--file', 'pairs.tsv', '--out', 'run1', '--quiet'],
    undefined,
    noData,
    dir,
  );
  assert.equal(first.code, 0, first.stderr);
  const command = /^Command: `(.+)` *$/m.exec(readFileSync(join(dir, 'run1', 'report.md'), 'utf8'))![1]!;
  assert.equal(command, 'static-embed eval --model static-embed-default-v2 --file pairs.tsv --out run1 --quiet');
  const again = await runCli([...command.split(' ').slice(1, -3), '--out', 'run2', '--quiet'], undefined, noData, dir);
  assert.equal(again.code, 0, again.stderr);
  const scores = (run: string) => readFileSync(join(dir, run, 'dim-256', 'custom_pairs.tsv.json'), 'utf8');
  assert.equal(JSON.parse(scores('run2')).model_name, 'static-embed-default-v2');
  assert.deepEqual(JSON.parse(scores('run2')).scores, JSON.parse(scores('run1')).scores);
  // classify: trained on one name, predicted with the other: the same model (no note), the same labels
  const data = join(dir, 'data.csv');
  writeFileSync(data, 'text,label\nI love it,pos\nwhat a great day,pos\nI hate it,neg\nawful weather,neg\n');
  const clf = join(dir, 'clf.json');
  const tr = await runCli(['classify', 'train', '--model', 'static-embed-default', '--data', data, '--out', clf]);
  assert.equal(tr.code, 0, tr.stderr);
  assert.equal(
    (JSON.parse(readFileSync(clf, 'utf8')) as { meta: { model: string } }).meta.model,
    'static-embed-default-v2',
  );
  const texts = 'I love this\nterrible\n';
  const recorded = await runCli(['classify', 'predict', '--classifier', clf, '--input', '-'], texts);
  const byId = await runCli(
    ['classify', 'predict', '--classifier', clf, '--input', '-', '--model', 'static-embed-default-v2'],
    texts,
  );
  assert.equal(byId.code, 0, byId.stderr);
  assert.equal(byId.stderr, '', 'the recorded model: no note');
  assert.equal(byId.stdout, recorded.stdout);
  // index: a table built with either name records the name that stands for the embedded model whatever its version
  const db = join(dir, 'db');
  const input = join(dir, 'in.txt');
  writeFileSync(input, 'hello world\ngood day\n');
  const built = await runCli([
    'index',
    'build',
    '--input',
    input,
    '--db',
    db,
    '--model',
    'static-embed-default-v2',
    '--quiet',
  ]);
  assert.equal(built.code, 0, built.stderr);
  assert.match(built.stdout, /model: the embedded default model/);
  const fns = JSON.parse(
    (JSON.parse((await runCli(['index', 'info', '--db', db, '--json'])).stdout) as { embedding_functions: string })
      .embedding_functions,
  ) as Array<{ model: { model: string } }>;
  assert.equal(fns[0]!.model.model, 'static-embed-default');
  for (const name of ['static-embed-default', 'static-embed-default-v2']) {
    const s = await runCli(['index', 'search', '--db', db, '--query', 'hello', '--model', name, '--json']);
    assert.equal(s.code, 0, `${name}: ${s.stderr}`);
  }
});

test("info names the embedded model portably; another version's id and a folder in its name's place are explained", async () => {
  for (const argv of [
    ['info'],
    ['info', '--model', 'static-embed-default'],
    ['info', '--model', 'static-embed-default-v2'],
  ]) {
    const r = await runCli(argv);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^model {7}static-embed-default-v2 \(the embedded default model\)$/m, argv.join(' '));
    assert.ok(!r.stdout.includes(DEFAULT_MODEL_PATH), 'not the path of the package');
  }
  const old = await runCli(['info', '--model', 'static-embed-default-v1']);
  assert.equal(old.code, 2);
  assert.match(
    old.stderr,
    new RegExp(
      '^static-embed info: error \\[NOT_FOUND\\]: static-embed-default-v1 is the embedded default model of another ' +
        'static-embed version; this version embeds static-embed-default-v2 \\(also named static-embed-default\\)',
    ),
  );
  // an empty folder of that name in the working directory: the error says the folder took the name's place
  const dir = mkdtempSync(join(tmpdir(), 'se-shadow-'));
  mkdirSync(join(dir, 'static-embed-default'));
  for (const argv of [
    ['info', '--model', 'static-embed-default'],
    ['tokenize', '--model', 'static-embed-default', '--input', '-'],
    ['encode', '--model', 'static-embed-default', '--input', '-'],
  ]) {
    const r = await runCli(argv, 'hello\n', undefined, dir);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^static-embed ${argv[0]}: error \\[(NO_LAYOUT|NOT_FOUND)\\]: "static-embed-default" is the folder ` +
          `${join(dir, 'static-embed-default').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} here, not the embedded default model: a path in ` +
          'the working directory takes the place of that name\\. To use the embedded model, leave out --model',
      ),
      argv[0],
    );
  }
  const served = await runCli(
    ['serve', '--model', 'static-embed-default', '--port', '0', '--quiet'],
    undefined,
    undefined,
    dir,
  );
  assert.equal(served.code, 2);
  assert.match(served.stderr, /"static-embed-default" is the folder .* here, not the embedded default model/);
});

test('values starting with "-" are attached to their option (--flag=VALUE); a missing value is a typed error', () => {
  const options = {
    'top-k': { type: 'string' as const },
    json: { type: 'boolean' as const },
    query: { type: 'string' as const, multiple: true },
  };
  assert.deepEqual(
    attachDashValues('x', ['--top-k', '-1', '--json', '--query', '-a', 'pos', '-', '--query=b'], options),
    ['--top-k=-1', '--json', '--query=-a', 'pos', '-', '--query=b'],
  );
  // after "--" everything is a positional
  assert.deepEqual(attachDashValues('x', ['--', '--top-k', '-1'], options), ['--', '--top-k', '-1']);
  // a value that is an empty string stays one
  assert.deepEqual(attachDashValues('x', ['--query', ''], options), ['--query=']);
  for (const argv of [['--top-k'], ['--top-k', '--json'], ['--query', '--x']])
    assert.throws(
      () => attachDashValues('x', argv, options),
      (e) => e instanceof StaticEmbedError && e.code === 'INVALID_ARGUMENT' && /needs a value/.test(e.message),
    );
});
