/**
 * Atomic writes (runtime/node/atomic-write.ts) and the CLI's output rules: a file or folder appears under its name only
 * when complete; an output that is an input or a model file is refused (also through links); an existing file needs
 * --overwrite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  AtomicFile,
  FolderWrite,
  recoverInterruptedSwap,
  writeFileAtomic,
  writeFolderAtomic,
} from '../../src/runtime/node/atomic-write.js';
import { loadModelFolder, saveModel } from '../../src/runtime/node/fs.js';
import { runCli } from '../helpers/cli.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'se-writes-'));
const model = join(dir, 'tiny');
for (const [p, b] of Object.entries(tinyModelFiles())) {
  mkdirSync(dirname(join(model, p)), { recursive: true });
  writeFileSync(join(model, p), b);
}
const input = join(dir, 'in.txt');
writeFileSync(input, 'hello world\ngood day\n');
const entries = (folder: string) => readdirSync(folder).sort();
/** A process id that is not running any more. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

test('writeFileAtomic / AtomicFile: the target is the old file until commit; abort leaves it; mode and links kept', () => {
  const f = join(dir, 'a.txt');
  writeFileAtomic(f, 'one');
  chmodSync(f, 0o640);
  const w = AtomicFile.create(f);
  w.write(new TextEncoder().encode('two, longer'));
  w.write(new TextEncoder().encode('T'), 0);
  assert.equal(readFileSync(f, 'utf8'), 'one', 'not replaced before commit');
  assert.equal(entries(dir).filter((n) => n.startsWith('.a.txt.static-embed-tmp-')).length, 1);
  w.commit();
  assert.equal(readFileSync(f, 'utf8'), 'Two, longer');
  assert.equal(statSync(f).mode & 0o777, 0o640, 'the replaced file keeps its permissions');
  const a = AtomicFile.create(f);
  a.write(new TextEncoder().encode('three'));
  a.abort();
  assert.equal(readFileSync(f, 'utf8'), 'Two, longer');
  assert.deepEqual(
    entries(dir).filter((n) => n.includes('static-embed')),
    [],
  );
  // a symbolic link: the file it points at gets the new content, the link stays
  const link = join(dir, 'link.txt');
  symlinkSync(f, link);
  writeFileAtomic(link, 'through the link');
  assert.ok(statSync(link).isFile());
  assert.equal(readFileSync(f, 'utf8'), 'through the link');
});

test('a temporary file left by a dead process is removed by the next write of the same target; a live one is kept', () => {
  const f = join(dir, 'b.txt');
  const stale = join(dir, `.b.txt.static-embed-tmp-${deadPid()}-0123abcd`);
  const live = join(dir, `.b.txt.static-embed-tmp-${process.ppid}-0123abcd`);
  writeFileSync(stale, 'partial');
  writeFileSync(live, 'someone else writing');
  writeFileAtomic(f, 'complete');
  assert.equal(existsSync(stale), false);
  assert.equal(existsSync(live), true);
  rmSync(live);
});

test('writeFolderAtomic swaps a folder in whole, keeping the entries asked for (hard links), dropping the others', () => {
  const target = join(dir, 'folder');
  writeFolderAtomic(target, (f) => {
    writeFileSync(join(f, 'model.bin'), 'v1');
    writeFileSync(join(f, 'old-layout.json'), 'v1');
  });
  writeFileSync(join(target, 'notes.txt'), 'mine');
  mkdirSync(join(target, 'checkpoint'));
  writeFileSync(join(target, 'checkpoint', 'c.bin'), 'ckpt');
  const w = FolderWrite.begin(target, { keep: (n) => n === 'notes.txt' || n === 'checkpoint' });
  writeFileSync(join(w.folder, 'model.bin'), 'v2');
  assert.equal(readFileSync(join(target, 'model.bin'), 'utf8'), 'v1', 'the old folder until commit');
  w.commit();
  assert.deepEqual(entries(target), ['checkpoint', 'model.bin', 'notes.txt']);
  assert.equal(readFileSync(join(target, 'model.bin'), 'utf8'), 'v2');
  assert.equal(readFileSync(join(target, 'checkpoint', 'c.bin'), 'utf8'), 'ckpt');
  assert.deepEqual(
    entries(dir).filter((n) => n.startsWith('.folder.')),
    [],
  );
  // a failed fill: nothing changes, nothing is left
  assert.throws(() =>
    writeFolderAtomic(target, (f) => {
      writeFileSync(join(f, 'model.bin'), 'v3');
      throw new Error('boom');
    }),
  );
  assert.equal(readFileSync(join(target, 'model.bin'), 'utf8'), 'v2');
  assert.deepEqual(
    entries(dir).filter((n) => n.startsWith('.folder.')),
    [],
  );
});

test('a folder that cannot be swapped (the working directory) is written file by file in place', () => {
  const target = join(dir, 'cwd-folder');
  writeFolderAtomic(target, (f) => writeFileSync(join(f, 'a.json'), '1'));
  writeFileSync(join(target, 'user.txt'), 'mine');
  const cwd = process.cwd();
  process.chdir(target);
  try {
    writeFolderAtomic(target, (f) => writeFileSync(join(f, 'b.json'), '2'), { keep: (n) => n === 'user.txt' });
  } finally {
    process.chdir(cwd);
  }
  assert.deepEqual(entries(target), ['b.json', 'user.txt']);
});

test('a swap killed between its two renames: the old folder is put back by the next load or write', () => {
  const m = join(dir, 'swapped');
  saveModel(loadModelFolder(model), m);
  const aside = join(dir, `.swapped.static-embed-old-${deadPid()}-0badf00d`);
  renameSync(m, aside);
  assert.equal(existsSync(m), false);
  assert.equal(loadModelFolder(m).dim, 4);
  assert.equal(existsSync(aside), false);
  renameSync(m, aside);
  assert.equal(recoverInterruptedSwap(m), true);
  assert.equal(recoverInterruptedSwap(m), false);
});

test('saveModel over another layout: no file of the old layout stays, the user files do', () => {
  const m = join(dir, 'layouts');
  saveModel(loadModelFolder(model), m, { layout: 'model2vec' });
  writeFileSync(join(m, 'notes.txt'), 'mine');
  saveModel(loadModelFolder(model), m, { layout: 'sentence-transformers', normalize: true });
  assert.deepEqual(entries(m), [
    '0_StaticEmbedding',
    '1_Normalize',
    'README.md',
    'config_sentence_transformers.json',
    'modules.json',
    'notes.txt',
  ]);
  saveModel(loadModelFolder(model), m, { layout: 'sentence-transformers', normalize: false });
  assert.equal(existsSync(join(m, '1_Normalize')), false, 'a stale Normalize module would normalize the copy');
});

test('CLI: an output that is the input or a model file is refused (exit 2), also through links; the input is intact', async () => {
  const hard = join(dir, 'hard.txt');
  linkSync(input, hard);
  const sym = join(dir, 'sym.txt');
  symlinkSync(input, sym);
  const st = join(model, '0_StaticEmbedding', 'model.safetensors');
  const weights = readFileSync(st);
  for (const [args, message] of [
    [
      ['encode', '--model', model, '--input', input, '--output', input],
      /--output .*in\.txt is the same file as --input/,
    ],
    [['encode', '--model', model, '--input', input, '--output', hard, '--overwrite'], /is the same file as --input/],
    [['encode', '--model', model, '--input', sym, '--output', input, '--overwrite'], /is the same file as --input/],
    [['encode', '--model', model, '--input', input, '--output', st, '--overwrite'], /a file of --model/],
    [['tokenize', '--model', model, '--input', input, '--output', input, '--overwrite'], /same file as --input/],
    [['chunk', '--model', model, '--input', input, '--output', input, '--overwrite'], /same file as --input/],
    [['chunk', '--model', model, '--input', input, '--output', st, '--overwrite'], /a file of --model/],
    [
      ['encode', '--per-token', '--model', model, '--input', sym, '--output', input, '--overwrite'],
      /same file as --input/,
    ],
    [['train-tokenizer', '--input', input, '--out', hard, '--overwrite'], /same file as --input/],
    [['classify', 'train', '--model', model, '--data', input, '--out', input, '--overwrite'], /same file as --data/],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^static-embed [\w -]+: error \[INVALID_ARGUMENT\]: /);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  assert.equal(readFileSync(input, 'utf8'), 'hello world\ngood day\n');
  assert.deepEqual(readFileSync(st), weights);
});

test('CLI: an existing output file needs --overwrite (encode, tokenize, chunk, train-tokenizer, classify train)', async () => {
  const out = join(dir, 'exists.out');
  writeFileSync(out, 'keep me');
  const data = join(dir, 'train.csv');
  writeFileSync(data, 'text,label\nhello,a\nworld,b\n');
  for (const args of [
    ['encode', '--model', model, '--input', input, '--output', out],
    ['tokenize', '--model', model, '--input', input, '--output', out],
    ['encode', '--per-token', '--model', model, '--input', input, '--output', out],
    ['chunk', '--model', model, '--input', input, '--output', out],
    ['chunk', '--method', 'tokens', '--max-tokens', '2', '--model', model, '--input', input, '--output', out],
    ['train-tokenizer', '--input', input, '--out', out],
    ['classify', 'train', '--model', model, '--data', data, '--out', out],
  ]) {
    const r = await runCli(args);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /exists: static-embed .* does not write over an existing file\. .*pass --overwrite/);
    assert.equal(readFileSync(out, 'utf8'), 'keep me');
    const o = await runCli([...args, '--overwrite']);
    assert.equal(o.code, 0, o.stderr);
    assert.notEqual(readFileSync(out, 'utf8'), 'keep me');
    writeFileSync(out, 'keep me');
  }
  assert.deepEqual(
    entries(dir).filter((n) => n.includes('.static-embed-')),
    [],
  );
});

test('CLI: train --out refuses a folder that is not empty unless --overwrite (or --resume)', async () => {
  const data = join(dir, 'pairs.csv');
  writeFileSync(data, 'anchor,positive\nhello,world\ngood,day\nhello world,good day\n');
  const out = join(dir, 'trained');
  const args = ['train', '--data', data, '--out', out, '--init', model, '--batch-size', '2', '--quiet'];
  assert.equal((await runCli(args)).code, 0);
  const again = await runCli(args);
  assert.equal(again.code, 2, again.stderr);
  assert.match(again.stderr, /--out .*trained is not empty .*pass --overwrite/);
  const o = await runCli([...args, '--overwrite']);
  assert.equal(o.code, 0, o.stderr);
  assert.equal(loadModelFolder(out).dim, 4);
});
