/**
 * train-tokenizer: a WordPiece vocabulary learned from text, as a tokenizer.json this engine (and the Rust
 * tokenizers library: checked by hand on 1,200 training lines, see the issue note) loads; no [UNK] on text it saw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticEmbedError } from '../../src/errors.js';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';
import {
  NORMALIZERS,
  SPECIAL_TOKENS,
  countWords,
  learnVocabulary,
  wordPieceTokenizerJson,
} from '../../src/train/wordpiece-trainer.js';
import { writingSystem } from '../../src/train/writing-system.js';
import { runCli } from '../helpers/cli.js';
import { repoFile, sharedFile } from '../helpers/shared.js';

/** static-embed train-tokenizer --input INPUT --vocab-size 90 --out OUT, plus extra flags */
const trainTokenizerCli = (input: string, out: string, ...extra: string[]) =>
  runCli(['train-tokenizer', '--input', input, '--vocab-size', '90', '--out', out, ...extra]);

const lines = [
  'The cat sat on the mat.',
  'Die Katze saß auf der Matte.',
  'Кошка сидела на коврике.',
  '猫坐在垫子上。',
  'the cats sat',
  'Él comió — ¡Olé!',
];

test('vocabulary: special tokens first, every character, then pieces; exact size', () => {
  const counts = countWords(lines);
  assert.equal(counts.get('the'), 3); // lowercased, punctuation split off
  assert.equal(counts.get('猫'), 1); // CJK characters are words
  assert.equal(counts.get('el'), 1); // accents stripped (uncased)
  const vocab = learnVocabulary(counts, { vocabSize: 120, minFrequency: 1 });
  assert.equal(vocab.length, 120);
  assert.deepEqual(vocab.slice(0, 5), [...SPECIAL_TOKENS]);
  assert.equal(new Set(vocab).size, vocab.length);
  assert.ok(vocab.includes('the') && vocab.includes('##t'));
});

test('the tokenizer.json loads and encodes its training text without [UNK]', () => {
  const vocab = learnVocabulary(countWords(lines), { vocabSize: 100, minFrequency: 1 });
  const tok = Tokenizer.fromJSON(wordPieceTokenizerJson(vocab));
  assert.equal(tok.vocabSize, 100);
  for (const l of lines) {
    const ids = Array.from(tok.encode(l));
    assert.ok(ids.length > 0);
    assert.ok(!ids.includes(1), `[UNK] in ${l}: ${ids.join(' ')}`);
  }
  assert.deepEqual(Array.from(tok.encode('the')), [vocab.indexOf('the')]);
});

test('--normalizer: bert-lowercase and nfkc-lowercase keep accents and marks (dakuten, Devanagari signs) that bert-uncased strips', async () => {
  const text = ['Él comió', 'が ご', 'हिंदी', 'ＡＢＣ ﬁ'];
  const uncased = countWords(text),
    lower = countWords(text, 'bert-lowercase'),
    nfkc = countWords(text, 'nfkc-lowercase');
  assert.ok(uncased.has('el') && uncased.has('か') && !uncased.has('が'));
  assert.ok(lower.has('él') && lower.has('comió') && lower.has('が') && lower.has('हिंदी') && lower.has('ａｂｃ'));
  assert.ok(nfkc.has('él') && nfkc.has('が') && nfkc.has('abc') && nfkc.has('fi'));
  for (const name of ['bert-lowercase', 'nfkc-lowercase'] as const) {
    const vocab = learnVocabulary(countWords(text, name), { vocabSize: 60, minFrequency: 1 });
    const json = wordPieceTokenizerJson(vocab, name);
    assert.deepEqual((JSON.parse(json) as { normalizer: unknown }).normalizer, NORMALIZERS[name]);
    const tok = Tokenizer.fromJSON(json);
    for (const l of text) assert.ok(!Array.from(tok.encode(l)).includes(1), `[UNK] in ${l}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'se-wpn-'));
  writeFileSync(join(dir, 'a.txt'), text.join('\n'));
  const bad = await trainTokenizerCli(join(dir, 'a.txt'), join(dir, 't.json'), '--normalizer', 'nfd');
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--normalizer must be one of bert-uncased, bert-lowercase, nfkc-lowercase, got "nfd"/);
});

test('too small a vocabulary is a typed error naming the minimum', () => {
  assert.throws(
    () => learnVocabulary(countWords(lines), { vocabSize: 10 }),
    (e: unknown) => e instanceof StaticEmbedError && /raise --vocab-size to at least \d+/.test(e.message),
  );
});

test('CLI: static-embed train-tokenizer --input FILE --vocab-size N --out tokenizer.json', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-wp-'));
  writeFileSync(join(dir, 'a.txt'), lines.join('\n'));
  const out = join(dir, 'tokenizer.json');
  const r = await trainTokenizerCli(join(dir, 'a.txt'), out, '--min-frequency', '1');
  assert.equal(r.code, 0, r.stderr);
  const json = JSON.parse(readFileSync(out, 'utf8')) as { model: { type: string; vocab: Record<string, number> } };
  assert.equal(json.model.type, 'WordPiece');
  assert.equal(Object.keys(json.model.vocab).length, 90);
  const bad = await runCli(['train-tokenizer', '--vocab-size', '90', '--out', out]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--input FILE… and --out tokenizer.json are required/);
});

test("the default model's learned tokenizer gives the Rust tokenizers library's ids (scripts/make-default-tokenizer-goldens.py)", (t) => {
  const corpus = sharedFile(t, 'corpus/bench-corpus.txt');
  if (!corpus) return;
  const g = JSON.parse(readFileSync(repoFile('test/golden/default-tokenizer-ids.json'), 'utf8')) as {
    lines: number[];
    ids: number[][];
    texts: string[];
    textIds: number[][];
  };
  const lines = readFileSync(corpus, 'utf8').split('\n');
  const tok = Tokenizer.fromJSON(readFileSync(repoFile('models/default/0_StaticEmbedding/tokenizer.json')));
  g.lines.forEach((n, k) => assert.deepEqual(Array.from(tok.encode(lines[n]!)), g.ids[k], `line ${n}`));
  g.texts.forEach((text, k) => assert.deepEqual(Array.from(tok.encode(text)), g.textIds[k], text));
});

test('--long-word-pieces: pieces from inside long unspaced words (Thai), none without it', () => {
  // three Thai "words" (phrases without spaces, each seen once) sharing the syllables สวัสดี and ขอบคุณ
  const thai = ['สวัสดีครับขอบคุณมากนะครับ', 'ขอบคุณมากสวัสดีตอนเช้าครับ', 'วันนี้อากาศดีขอบคุณสวัสดี'];
  const counts = countWords(thai, 'bert-lowercase');
  const plain = learnVocabulary(counts, { vocabSize: 200, minFrequency: 2 });
  const long = learnVocabulary(counts, { vocabSize: 200, minFrequency: 2, longWordPieces: true });
  const pieces = (v: string[]) =>
    v.slice(SPECIAL_TOKENS.length).filter((p) => Array.from(p.replace(/^##/, '')).length > 1);
  assert.deepEqual(pieces(plain), []); // each phrase occurs once: no piece reaches --min-frequency 2
  assert.ok(long.includes('##ขอบคุณ') && long.includes('##สวัสดี'), pieces(long).slice(0, 20).join(' '));
  const tokens = (v: string[], s: string) =>
    Tokenizer.fromJSON(wordPieceTokenizerJson(v, 'bert-lowercase')).encode(s).length;
  assert.ok(tokens(long, thai[0]!) < tokens(plain, thai[0]!));
  // words up to 16 characters are unaffected: the same vocabulary as without the option
  assert.deepEqual(
    learnVocabulary(countWords(lines), { vocabSize: 100, minFrequency: 1, longWordPieces: true }),
    learnVocabulary(countWords(lines), { vocabSize: 100, minFrequency: 1 }),
  );
});

test('--balance-inputs: every input gets its share of the pieces; one input = the unbalanced vocabulary', async () => {
  // a large Latin-script input and a small Hebrew one: ranked together, the Latin words take every piece
  const latin = Array.from(
    { length: 40 },
    (_, i) => `international organization cooperation number${i % 7} development`,
  );
  const hebrew = ['שלום עולם', 'שלום לכם', 'תודה רבה', 'תודה לכם'];
  const together = learnVocabulary(countWords([...latin, ...hebrew], 'bert-lowercase'), {
    vocabSize: 70,
    minFrequency: 2,
  });
  const balanced = learnVocabulary([countWords(latin, 'bert-lowercase'), countWords(hebrew, 'bert-lowercase')], {
    vocabSize: 70,
    minFrequency: 2,
  });
  const hebrewPieces = (v: string[]) => v.filter((p) => /[\u0590-\u05ff]{2}/.test(p));
  assert.equal(hebrewPieces(together).length, 0);
  assert.ok(
    hebrewPieces(balanced).includes('שלום') && hebrewPieces(balanced).includes('תודה'),
    hebrewPieces(balanced).join(' '),
  );
  assert.equal(balanced.length, 70);
  assert.deepEqual(
    learnVocabulary([countWords(lines)], { vocabSize: 100, minFrequency: 1 }),
    learnVocabulary(countWords(lines), { vocabSize: 100, minFrequency: 1 }),
  );
  // CLI: one file per input
  const dir = mkdtempSync(join(tmpdir(), 'se-wpb-'));
  writeFileSync(join(dir, 'latin.txt'), latin.join('\n'));
  writeFileSync(join(dir, 'hebrew.txt'), hebrew.join('\n'));
  const out = join(dir, 'tokenizer.json');
  const r = await runCli([
    'train-tokenizer',
    '--input',
    `${join(dir, 'latin.txt')},${join(dir, 'hebrew.txt')}`,
    '--vocab-size',
    '70',
    '--normalizer',
    'bert-lowercase',
    '--balance-inputs',
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const vocab = Object.keys(
    (JSON.parse(readFileSync(out, 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab,
  );
  assert.deepEqual(vocab, balanced);
});

test('CLI: lines counted without the trailing newline; empty input and a folder are typed errors; a vocabulary short of --vocab-size says so', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-wpe-'));
  writeFileSync(join(dir, 'a.txt'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'empty.txt'), '\n');
  const out = join(dir, 't.json');
  const ok = await runCli(['train-tokenizer', '--input', join(dir, 'a.txt'), '--vocab-size', '500', '--out', out]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, new RegExp(`from ${lines.length} lines`));
  assert.match(ok.stdout, /--vocab-size 500 was not reached/);
  const empty = await runCli(['train-tokenizer', '--input', join(dir, 'empty.txt'), '--out', out, '--overwrite']);
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /\[INVALID_INPUT\]: --input .*empty\.txt holds no texts \(only 1 blank line\)/);
  const folder = await runCli(['train-tokenizer', '--input', dir, '--out', out, '--overwrite']);
  assert.equal(folder.code, 2);
  assert.ok(folder.stderr.includes(`[IO_ERROR]: Cannot access ${dir}: it is a directory`), folder.stderr);
});

test('writingSystem: the script of the first letter; Han/Hiragana/Katakana as one; none for digits and punctuation', () => {
  const cases: [string, string][] = [
    ['hello', 'Latin'],
    ['##ность', 'Cyrillic'],
    ['שלום', 'Hebrew'],
    ['##ում', 'Armenian'],
    ['กาแฟ', 'Thai'],
    ['ひらがな', 'Han'],
    ['カタカナ', 'Han'],
    ['漢字', 'Han'],
    ['12ab', 'Latin'],
    ['2024', ''],
    ['##.,', ''],
  ];
  for (const [piece, script] of cases) assert.equal(writingSystem(piece), script, piece);
});

test('--min-script-pieces: every script gets at least K pieces from the lowest-ranked of the others; 0 = the global ranking', async () => {
  const latin = Array.from(
    { length: 40 },
    (_, i) => `international organization cooperation number${i % 7} development`,
  );
  const hebrew = ['שלום עולם', 'שלום לכם', 'תודה רבה', 'תודה לכם'];
  const counts = countWords([...latin, ...hebrew], 'bert-lowercase');
  const global = learnVocabulary(counts, { vocabSize: 70, minFrequency: 2 });
  const floored = learnVocabulary(counts, { vocabSize: 70, minFrequency: 2, minScriptPieces: 3 });
  const pieces = (v: string[]) => v.filter((p) => p.replace(/^##/, '').length >= 2);
  const hebrewPieces = (v: string[]) => pieces(v).filter((p) => writingSystem(p) === 'Hebrew');
  assert.equal(hebrewPieces(global).length, 0);
  assert.equal(hebrewPieces(floored).length, 3, hebrewPieces(floored).join(' '));
  assert.equal(floored.length, 70);
  // the Latin pieces kept are the global ranking's best: the floor only drops its last ones
  const latinFloored = pieces(floored).filter((p) => writingSystem(p) === 'Latin');
  assert.deepEqual(latinFloored, pieces(global).slice(0, latinFloored.length));
  assert.equal(pieces(global).length - latinFloored.length, 3);
  assert.deepEqual(learnVocabulary(counts, { vocabSize: 70, minFrequency: 2, minScriptPieces: 0 }), global);
  // a floor the budget cannot hold for every script is a typed error naming the largest that fits
  const budget =
    70 -
    learnVocabulary(counts, { vocabSize: 1000, minFrequency: 2 }).filter((p) => p.replace(/^##/, '').length < 2).length;
  assert.throws(
    () => learnVocabulary(counts, { vocabSize: 70, minFrequency: 2, minScriptPieces: budget }),
    (e: unknown) =>
      e instanceof StaticEmbedError &&
      e.code === 'INVALID_ARGUMENT' &&
      /--min-script-pieces \d+ needs \d+ pieces for the text's 2 writing systems.*use --min-script-pieces \d+ or less/.test(
        e.message,
      ),
  );
  // CLI, and the typed error with --balance-inputs
  const dir = mkdtempSync(join(tmpdir(), 'se-wps-'));
  writeFileSync(join(dir, 'text.txt'), [...latin, ...hebrew].join('\n'));
  const out = join(dir, 'tokenizer.json');
  const r = await runCli([
    'train-tokenizer',
    '--input',
    join(dir, 'text.txt'),
    '--vocab-size',
    '70',
    '--normalizer',
    'bert-lowercase',
    '--min-script-pieces',
    '3',
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const vocab = Object.keys(
    (JSON.parse(readFileSync(out, 'utf8')) as { model: { vocab: Record<string, number> } }).model.vocab,
  );
  assert.deepEqual(vocab, floored);
  const bad = await runCli([
    'train-tokenizer',
    '--input',
    join(dir, 'text.txt'),
    '--min-script-pieces',
    '3',
    '--balance-inputs',
    '--out',
    out,
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--min-script-pieces .*--balance-inputs/);
});
