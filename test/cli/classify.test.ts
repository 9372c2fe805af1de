/**
 * classify as a demanding user runs it: training data checked row by row (file, line and column in every message),
 * and predict with another --model (a float32 copy of the recorded model) labelling exactly as the recorded model
 * does, because the recorded options that shaped the embeddings apply to it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Args } from '../../src/cli/command.js';
import { useRecordedModel } from '../../src/cli/classifier-model.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'se-classify-'));

/** `classify train` on a data file with these contents. */
async function train(name: string, contents: string, more: string[] = []) {
  const data = join(dir, name);
  writeFileSync(data, contents);
  return runCli(['classify', 'train', '--data', data, '--out', join(dir, `${name}.clf.json`), ...more]);
}

test('classify train: empty, missing or non-string texts and labels name their place', async () => {
  const cases: Array<[string, string, RegExp]> = [
    // the finding: an empty text and an empty label were taken (the empty label as a class)
    [
      'empty.csv',
      'text,label\nhello,a\n,b\nbye,\nx,b\n',
      /empty\.csv:3: column 1 \("text"\) is empty; every row needs a text: fill it in or remove the row\./,
    ],
    [
      'label.csv',
      'text,label\nhello,a\nbye,\nx,b\n',
      /label\.csv:3: column 2 \("label"\) is empty; every row needs a label \(its class\)/,
    ],
    ['blank.tsv', 'label\ttext\na\thello\n \tbye\n', /blank\.tsv:3: column 1 \("label"\) holds only whitespace/],
    [
      'quoted.csv',
      'text,label\n"hello\nworld",a\n"  ",b\n',
      /quoted\.csv:4: column 1 \("text"\) holds only whitespace/,
    ],
    [
      'number.jsonl',
      '{"text": "hi", "label": "a"}\n{"text": 5, "label": "b"}\n',
      /number\.jsonl:2: field "text" must be a string, got number 5; write the text as a JSON string \(in quotes\)\./,
    ],
    [
      'null.jsonl',
      '{"text": "hi", "label": "a"}\n{"text": "yo", "label": null}\n',
      /null\.jsonl:2: field "label" must be a string or an integer, got null/,
    ],
    [
      'float.jsonl',
      '{"text": "hi", "label": 0.5}\n',
      /float\.jsonl:1: field "label" must be a string or an integer, got number 0\.5/,
    ],
    [
      'missing.jsonl',
      '{"text": "hi", "label": "a"}\n\n{"label": "b"}\n',
      /missing\.jsonl:3: field "text" is missing; every row needs a text/,
    ],
    ['renamed.csv', 'sentence,y\nhi,\n', /renamed\.csv:2: column 2 \("y"\) is empty/],
    // one class: the file is named
    [
      'one.csv',
      'text,label\nhello,a\nbye,a\n',
      /one\.csv: training needs at least two classes, but every row's "label" is "a" \(2 rows\); add examples of another class\./,
    ],
    ['header.csv', 'text,label\n', /header\.csv: training needs at least two classes, but it holds no rows/],
  ];
  for (const [name, contents, message] of cases) {
    const r = await train(
      name,
      contents,
      name === 'renamed.csv' ? ['--text-column', 'sentence', '--label-column', 'y'] : [],
    );
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`^static-embed classify: error \\[INVALID_INPUT\\]: .*${message.source}`), name);
    assert.equal(r.stderr.trim().split('\n').length, 1, `${name}: one line`);
  }
  // integer labels (JSONL 0/1) are classes, by their digits
  const ok = await train('ints.jsonl', '{"text": "I love it", "label": 1}\n{"text": "I hate it", "label": 0}\n');
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /2 classes \(0, 1\)/);
});

test('classify predict --model COPY: a float32 copy labels identically', async () => {
  const lines = [
    'I love this movie',
    'what a wonderful day',
    'this is great',
    'I hate this',
    'terrible service',
    'awful weather today',
    'the food was delicious',
    'the room was dirty',
  ];
  const data = join(dir, 'sentiment.csv');
  writeFileSync(data, ['text,label', ...lines.map((t, i) => `${t},${i % 2 === 0 ? 'pos' : 'neg'}`)].join('\n') + '\n');
  const clf = join(dir, 'sentiment.json');
  const tr = await runCli(['classify', 'train', '--data', data, '--out', clf, '--dim', '64', '--normalize']);
  assert.equal(tr.code, 0, tr.stderr);
  const copy = join(dir, 'f32copy');
  const cv = await runCli(['convert', '--out', copy, '--dtype', 'float32']);
  assert.equal(cv.code, 0, cv.stderr);
  const texts = 'a lovely film\nthe worst day\nnot bad at all\nso boring\nthe staff was kind\ncold food\n';
  const predict = (more: string[]) =>
    runCli(['classify', 'predict', '--classifier', clf, '--input', '-', '--json', ...more], texts);
  const recorded = await predict([]);
  assert.equal(recorded.code, 0, recorded.stderr);
  assert.equal(recorded.stderr, '');
  const withCopy = await predict(['--model', copy]);
  assert.equal(withCopy.code, 0, withCopy.stderr);
  assert.match(
    withCopy.stderr,
    new RegExp(
      '^note: .*sentiment\\.json was trained on "static-embed-default-v2"; labelling with "f32copy" \\(--model\\), ' +
        'with the recorded --dim 64, --normalize \\(give them to change them\\)\\.\n$',
    ),
  );
  const rows = (out: string) =>
    out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { label: string; probabilities: Record<string, number> });
  const a = rows(recorded.stdout),
    b = rows(withCopy.stdout);
  assert.deepEqual(
    b.map((r) => r.label),
    a.map((r) => r.label),
    'the same labels',
  );
  for (let i = 0; i < a.length; i++)
    for (const k of Object.keys(a[i]!.probabilities))
      assert.ok(Math.abs(a[i]!.probabilities[k]! - b[i]!.probabilities[k]!) < 1e-3, `row ${i} ${k}`);
  // a blank line keeps its place in the output, without a label
  const blanks = 'a lovely film\n\n  \nso boring\n';
  const bj = await runCli(['classify', 'predict', '--classifier', clf, '--json'], blanks);
  assert.equal(bj.code, 0, bj.stderr);
  assert.deepEqual(
    rows(bj.stdout).map((r) => [r.label, r.probabilities === null]),
    [
      [a[0]!.label, false],
      [null, true],
      [null, true],
      [a[3]!.label, false],
    ],
  );
  const bt = await runCli(['classify', 'predict', '--classifier', clf], blanks);
  assert.deepEqual(
    bt.stdout.split('\n').map((l) => l.split('\t')[0]),
    [a[0]!.label, '', '', a[3]!.label, ''],
  );
  // given again, an option is used as given (and not listed as applied)
  const given = await predict(['--model', copy, '--no-normalize']);
  assert.equal(given.code, 0, given.stderr);
  assert.match(given.stderr, /with the recorded --dim 64 \(give them to change them\)\.\n$/);
  // a model narrower than the recorded --dim: an error saying where the width comes from
  const narrow = join(dir, 'narrow');
  assert.equal((await runCli(['convert', '--out', narrow, '--dim', '32'])).code, 0);
  const e = await predict(['--model', narrow]);
  assert.equal(e.code, 2);
  assert.match(
    e.stderr,
    new RegExp(
      '^static-embed classify: error \\[INVALID_ARGUMENT\\]: .*sentiment\\.json was trained on 64-dimensional ' +
        'embeddings \\(recorded --dim 64\\), but ".*narrow" has 32 dimensions; label with a model of at least 64 ' +
        'dimensions \\(the one it was trained on: "static-embed-default-v2"\\), or train the classifier again with ' +
        'this model\\.\n$',
    ),
  );
  assert.ok(readFileSync(clf, 'utf8').includes('"normalize":true'));
});

describe('the recorded --revision', () => {
  const meta = { model: 'org/tiny', modelSource: 'hub' as const, revision: 'v1', dim: 4, normalize: false };

  test('applies to the recorded Hub model', () => {
    const same = new Args('classify', { model: 'org/tiny' }, ['predict']);
    assert.equal(useRecordedModel(same, meta, 'c.json'), undefined, 'the recorded model: no note');
    assert.equal(same.values.revision, 'v1');
  });

  test('is not applied to another model, and the note says so', () => {
    const other = new Args('classify', { model: 'org/other' }, ['predict']);
    assert.equal(
      useRecordedModel(other, meta, 'c.json'),
      'note: c.json was trained on "org/tiny"; labelling with "org/other" (--model), with the recorded --dim 4, ' +
        '--no-normalize (give them to change them); not applied: --revision v1 (a version of "org/tiny" only).',
    );
    assert.equal(other.values.revision, undefined);
    assert.equal(other.values.dim, '4');
    assert.equal(other.values['no-normalize'], true);
  });
});
