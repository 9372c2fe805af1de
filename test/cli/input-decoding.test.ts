/**
 * Text input in every command: invalid UTF-8 and NUL bytes are errors naming the file and line (exit 2) unless
 * --encoding-errors replace / --binary-ok, and an input without texts is the same error in every command.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { firstInvalidUtf8 } from '../../src/cli/io/decode.js';
import { Random } from '../../src/math/random.js';
import { runCli } from '../helpers/cli.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'se-decode-'));
const model = join(dir, 'tiny');
for (const [p, b] of Object.entries(tinyModelFiles())) {
  mkdirSync(dirname(join(model, p)), { recursive: true });
  writeFileSync(join(model, p), b);
}
const file = (name: string, bytes: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
};

test('firstInvalidUtf8 agrees with a fatal TextDecoder on 20,000 seeded byte strings', () => {
  const fatal = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const rng = new Random(7);
  const pieces = [
    [0x41],
    [0xc3, 0xa9],
    [0xe2, 0x82, 0xac],
    [0xf0, 0x9f, 0x98, 0x80],
    [0x80],
    [0xc0, 0xaf],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xe2, 0x82],
    [0xff],
    [0x0a],
  ];
  for (let n = 0; n < 20_000; n++) {
    const b: number[] = [];
    const len = Math.floor(rng.next() * 6);
    for (let i = 0; i < len; i++) b.push(...pieces[Math.floor(rng.next() * pieces.length)]!);
    if (rng.next() < 0.3) b.push(Math.floor(rng.next() * 256));
    const bytes = Uint8Array.from(b);
    let valid = true;
    try {
      fatal.decode(bytes);
    } catch {
      valid = false;
    }
    const at = firstInvalidUtf8(bytes);
    assert.equal(at < 0, valid, `[${b.map((x) => x.toString(16)).join(' ')}]`);
    if (!valid) assert.doesNotThrow(() => fatal.decode(bytes.subarray(0, at)), 'the prefix before it is valid');
  }
});

test('invalid UTF-8: an error naming the file and line in every reader; --encoding-errors replace reads it with a note', async () => {
  const bad = file(
    'latin1.txt',
    Buffer.concat([Buffer.from('hello\nworld\ncaf'), Buffer.from([0xe9]), Buffer.from('\n')]),
  );
  const badJsonl = file(
    'bad.jsonl',
    Buffer.concat([Buffer.from('{"text": "ok"}\n{"text": "caf'), Buffer.from([0xe9, 0x22, 0x7d, 0x0a])]),
  );
  const table = file(
    'bad.csv',
    Buffer.concat([Buffer.from('text,label\nhello,a\nw'), Buffer.from([0xff]), Buffer.from(',b\n')]),
  );
  for (const [args, where] of [
    [['encode', '--model', model, '--input', bad], /latin1\.txt:3: byte 4 of the line is not valid UTF-8 \(0xe9\)/],
    [['encode', '--model', model, '--input', badJsonl], /bad\.jsonl:2: byte 14 of the line is not valid UTF-8/],
    [['search', '--model', model, '--corpus', bad, '--query', 'hello'], /latin1\.txt:3: /],
    [['search', '--model', model, '--corpus', file('c.txt', 'hello\n'), '--queries', bad], /latin1\.txt:3: /],
    [['mine', '--model', model, '--input', bad], /latin1\.txt:3: /],
    [['cluster', '--model', model, '--input', bad, '--k', '2'], /latin1\.txt:3: /],
    [['tokenize', '--model', model, '--input', bad], /latin1\.txt:3: /],
    [['chunk', '--model', model, '--input', bad], /latin1\.txt:3: /],
    [['encode', '--per-token', '--model', model, '--input', bad], /latin1\.txt:3: /],
    [['search', '--model', model, '--corpus', bad, '--chunk', 'sentence', '--query', 'x'], /latin1\.txt:3: /],
    [['train-tokenizer', '--input', bad, '--out', join(dir, 't.json')], /latin1\.txt:3: /],
    [['classify', 'train', '--model', model, '--data', table, '--out', join(dir, 'c.json')], /bad\.csv:3: byte 2 /],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 2, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, /error \[INVALID_INPUT\]: .*not valid UTF-8 .*--encoding-errors replace/);
    assert.match(r.stderr, where);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const stdin = await runCli(['encode', '--model', model], 'ok\n\ufffd\n');
  assert.equal(stdin.code, 0, 'U+FFFD itself is valid text');
  const r = await runCli(['encode', '--model', model, '--input', bad, '--encoding-errors', 'replace']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 3);
  assert.match(
    r.stderr,
    /note: .*latin1\.txt: 1 line held invalid UTF-8 \(first: line 3\); each bad sequence was read as U\+FFFD/,
  );
  const c = await runCli([
    'chunk',
    '--model',
    model,
    '--input',
    bad,
    '--method',
    'sentence',
    '--encoding-errors',
    'replace',
  ]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /caf\ufffd/);
  assert.match(c.stderr, /note: .*latin1\.txt: 1 line held invalid UTF-8/);
  const wrong = await runCli(['encode', '--model', model, '--input', bad, '--encoding-errors', 'ignore']);
  assert.match(wrong.stderr, /--encoding-errors must be strict or replace, got "ignore"/);
});

test('a NUL byte: an error naming the file and line unless --binary-ok', async () => {
  const nul = file('archive.tgz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x0a, 0x41]));
  const r = await runCli(['encode', '--model', model, '--input', nul]);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /\[INVALID_INPUT\]: .*archive\.tgz:1: byte 4 of the line is a NUL byte: this does not look like a text file\. .*--binary-ok/,
  );
  const ok = await runCli(['encode', '--model', model, '--input', nul, '--binary-ok', '--encoding-errors', 'replace']);
  assert.equal(ok.code, 0, ok.stderr);
  const c = await runCli(['chunk', '--model', model, '--input', nul]);
  assert.match(c.stderr, /\[INVALID_INPUT\]: .*archive\.tgz:1: byte 4 of the line is a NUL byte/);
  const cok = await runCli(['chunk', '--model', model, '--input', nul, '--binary-ok', '--encoding-errors', 'replace']);
  assert.equal(cok.code, 0, cok.stderr);
  assert.equal(ok.stdout.trim().split('\n').length, 2);
});

test('an input without texts (empty, blank lines only) is the same INVALID_INPUT error in every command', async () => {
  const empty = file('empty.txt', '');
  const blank = file('blank.txt', '\n  \n\n');
  const blankJsonl = file('blank.jsonl', '{"text": " "}\n\n');
  const corpus = file('corpus.txt', 'hello\n');
  const clf = join(dir, 'clf.json');
  const train = ['classify', 'train', '--model', model, '--data', file('t.csv', 'text,label\nhello,a\nday,b\n')];
  assert.equal((await runCli([...train, '--out', clf])).code, 0);
  for (const [f, why] of [
    [empty, 'it is empty'],
    [blank, 'only 3 blank lines'],
  ] as const) {
    for (const args of [
      ['encode', '--model', model, '--input', f],
      ['encode', '--model', model, '--input', f, '--output', join(dir, 'e.npy')],
      ['tokenize', '--model', model, '--input', f],
      ['chunk', '--model', model, '--input', f],
      ['encode', '--per-token', '--model', model, '--input', f],
      ['search', '--model', model, '--corpus', f, '--query', 'x'],
      ['search', '--model', model, '--corpus', f, '--chunk', 'semantic', '--query', 'x'],
      ['search', '--model', model, '--corpus', corpus, '--queries', f],
      ['mine', '--model', model, '--input', f],
      ['cluster', '--model', model, '--input', f, '--k', '2'],
      ['classify', 'predict', '--model', model, '--classifier', clf, '--input', f],
      ['train-tokenizer', '--input', f, '--out', join(dir, 'tok.json')],
    ]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(
        r.stderr,
        new RegExp(
          `\\[INVALID_INPUT\\]: --\\w[\\w-]* .*${f.split('/').pop()!.replace('.', '\\.')} holds no texts \\(${why}\\): give a file with one text per line`,
        ),
        args.join(' '),
      );
      assert.equal(r.stdout, '', 'nothing is written before the error');
    }
  }
  const j = await runCli(['mine', '--model', model, '--input', blankJsonl]);
  assert.match(j.stderr, /\[INVALID_INPUT\]: --input .*blank\.jsonl holds no texts/);
  const s = await runCli(['encode', '--model', model], '');
  assert.match(s.stderr, /\[INVALID_INPUT\]: --input stdin holds no texts \(it is empty\)/);
});
