/**
 * tokenizer.vocab.bin: a large tokenizer's table is kept in the user's cache after its first load; a tokenizer built
 * from a table equals the one scanned from the JSON (ids, vocabulary, unknown token, median token length); a stale or
 * damaged table is ignored.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_PATH } from '../../src/runtime/node/default-model.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';
import { VOCAB_TABLE_VERSION } from '../../src/tokenizer/vocab-table.js';
import { buildVocabTable } from '../../src/tokenizer/vocab-table-build.js';
import { readJsonl, readLines } from '../helpers/corpus.js';
import { sharedFile } from '../helpers/shared.js';
import { tinyTokenizerJson } from '../helpers/tiny-model.js';

const MODULE = join(DEFAULT_MODEL_PATH, '0_StaticEmbedding');

function assertSameTokenizer(a: Tokenizer, b: Tokenizer, texts: string[], what: string): void {
  assert.equal(a.vocabSize, b.vocabSize, `${what}: vocabSize`);
  assert.equal(a.unkId, b.unkId, `${what}: unkId`);
  assert.equal(a.usesFastPath, b.usesFastPath, `${what}: fast path`);
  assert.equal(a.medianTokenLength(), b.medianTokenLength(), `${what}: median token length`);
  for (const t of texts) assert.deepEqual(a.encode(t), b.encode(t), `${what}: ${JSON.stringify(t.slice(0, 40))}`);
  assert.deepEqual(a.vocabTokens().sort(), b.vocabTokens().sort(), `${what}: vocabulary`);
}

describe('the vocabulary cache', () => {
  const json = () => readFileSync(join(MODULE, 'tokenizer.json'));
  const inCache = (dir: string) =>
    existsSync(join(dir, 'vocab-tables')) ? readdirSync(join(dir, 'vocab-tables')) : [];

  test('the first load of a large tokenizer keeps its table, and the next load reads it', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'se-vocab-cache-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    process.env.STATIC_EMBED_CACHE = dir;
    const first = loadModelFolder(DEFAULT_MODEL_PATH);
    assert.equal(first.tokenizer.usesVocabTable, false);
    assert.equal(inCache(dir).length, 1);
    // named by the format's version too: two versions of static-embed on one machine keep one table each
    assert.match(inCache(dir)[0]!, new RegExp(`^\\d+-[0-9a-f]{8}-v${VOCAB_TABLE_VERSION}\\.bin$`));
    const kept = readFileSync(join(dir, 'vocab-tables', inCache(dir)[0]!));
    assert.ok(Buffer.from(buildVocabTable(json())!).equals(kept), 'the table built from tokenizer.json');
    const second = loadModelFolder(DEFAULT_MODEL_PATH);
    assert.ok(second.tokenizer.usesVocabTable);
    assert.deepEqual(
      second.encode(['Кошка спит на диване.', 'a b']).data,
      first.encode(['Кошка спит на диване.', 'a b']).data,
    );
  });

  test('a damaged entry is ignored, then replaced by the tables of the JSON scan', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'se-vocab-cache-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    process.env.STATIC_EMBED_CACHE = dir;
    loadModelFolder(DEFAULT_MODEL_PATH);
    const file = join(dir, 'vocab-tables', inCache(dir)[0]!);
    const bytes = readFileSync(file);
    bytes[bytes.length - 1]! ^= 1;
    writeFileSync(file, bytes);
    assert.equal(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable, false);
    assert.ok(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable, 'the refused entry was written again');
  });

  test(
    'a cache under /proc, where no folder can be made, is skipped at once',
    { skip: !existsSync('/proc/self') },
    () => {
      process.env.STATIC_EMBED_CACHE = '/proc/static-embed-test/cache';
      assert.equal(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable, false);
    },
  );

  test('a link or a FIFO planted at an entry is replaced by the table, never followed or opened', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'se-vocab-cache-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    process.env.STATIC_EMBED_CACHE = dir;
    loadModelFolder(DEFAULT_MODEL_PATH);
    const name = inCache(dir)[0]!;
    const entry = join(dir, 'vocab-tables', name);
    const good = readFileSync(entry);
    // a link to a file the user cares about: the file keeps its content, the link becomes the table
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    rmSync(entry);
    symlinkSync(victim, entry);
    assert.equal(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable, false);
    assert.equal(readFileSync(victim, 'utf8'), 'precious');
    assert.ok(!lstatSync(entry).isSymbolicLink() && readFileSync(entry).equals(good));
    // a link to a good table is not read either (it is replaced by the file itself)
    const elsewhere = join(dir, 'elsewhere.bin');
    writeFileSync(elsewhere, good);
    rmSync(entry);
    symlinkSync(elsewhere, entry);
    assert.equal(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable, false);
    assert.ok(lstatSync(entry).isFile());
    // a FIFO would block an open for reading forever: it is refused at once, then replaced
    if (process.platform !== 'win32') {
      rmSync(entry);
      execFileSync('mkfifo', [entry]);
      assert.equal(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable, false);
      assert.ok(lstatSync(entry).isFile());
    }
    assert.ok(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable);
    // a planted entry's permissions are not taken over (a setuid file stays one nowhere), and a file far larger than
    // any table is refused without being read
    if (process.platform !== 'win32') {
      writeFileSync(entry, 'planted');
      chmodSync(entry, 0o4755);
      assert.equal(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable, false);
      assert.equal(statSync(entry).mode & 0o7000, 0);
      rmSync(entry);
      writeFileSync(entry, '');
      truncateSync(entry, 1 << 30);
      assert.equal(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable, false);
      assert.ok(readFileSync(entry).equals(good));
    }
  });

  test('STATIC_EMBED_CACHE=off keeps nothing, and a cache that cannot be written changes nothing', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'se-vocab-cache-'));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    // the usual spellings of "off" turn it off, and none of them becomes a folder of that name
    const cwd = process.cwd();
    process.chdir(dir);
    t.after(() => process.chdir(cwd));
    for (const off of ['off', 'OFF', 'false', '0', 'none']) {
      process.env.STATIC_EMBED_CACHE = off;
      assert.equal(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable, false, off);
    }
    assert.deepEqual(readdirSync(dir), []);
    writeFileSync(join(dir, 'vocab-tables'), 'a file where the folder should be');
    process.env.STATIC_EMBED_CACHE = dir;
    assert.equal(loadModelFolder(DEFAULT_MODEL_PATH).tokenizer.usesVocabTable, false);
  });
});

test('tokenizers built from a vocabulary table = scanned from tokenizer.json (ids, vocabulary, unk, median length)', (t) => {
  const s = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
  const corpus = sharedFile(t, 'corpus/bench-corpus.txt');
  if (!s || !corpus) return;
  const texts = [...readJsonl<{ text: string }>(s).map((r) => r.text), ...readLines(corpus).slice(0, 1500)];
  const files = [join(MODULE, 'tokenizer.json')];
  for (const f of [
    'mbert-uncased/tokenizer.json',
    'mbert-uncased/tokenizer.legacy-schema.json',
    'mbert-cased/tokenizer.json',
    'bert-base-uncased/tokenizer.json',
  ]) {
    const p = sharedFile(t, `tokenizers/${f}`);
    if (!p) return;
    files.push(p);
  }
  for (const file of files) {
    const json = readFileSync(file);
    const table = buildVocabTable(json)!;
    const fromTable = Tokenizer.fromJSON(json, { vocabTable: table });
    assert.ok(fromTable.usesVocabTable, file);
    assertSameTokenizer(fromTable, Tokenizer.fromJSON(json), texts, file);
  }
});

test('keys with JSON escapes, surrogate pairs and ids out of order give the same tokenizer', () => {
  const j = JSON.parse(tinyTokenizerJson()) as { model: { vocab: Record<string, number> } };
  const extra = ['quo"te', 'back\\slash', 'tab\there', 'caf\u00e9', '\u{1f600}', '##\u{1f600}', '日本', '##語'];
  j.model.vocab = Object.fromEntries([
    ...Object.entries(j.model.vocab).reverse(),
    ...extra.map((k, i) => [k, 100 - 7 * i] as const),
  ]);
  const json = new TextEncoder().encode(JSON.stringify(j, null, 1).replace('"caf\u00e9"', '"caf\\u00e9"'));
  const table = buildVocabTable(json)!;
  const a = Tokenizer.fromJSON(json, { vocabTable: table });
  assert.ok(a.usesVocabTable);
  assertSameTokenizer(a, Tokenizer.fromJSON(json), ['quo"te café 😀😀 日本語 hello worlds', 'back\\slash'], 'escapes');
  assert.equal(a.tokenToId('quo"te'), 100);
});

test('a stale, damaged or foreign table is ignored: the tokenizer is built from tokenizer.json', () => {
  const json = new TextEncoder().encode(tinyTokenizerJson());
  const table = buildVocabTable(json)!;
  const edited = new TextEncoder().encode(tinyTokenizerJson().replace('"good"', '"gold"'));
  const damaged = table.slice();
  damaged[damaged.length - 1]! ^= 1;
  for (const [what, j, tab] of [
    ['stale', edited, table],
    ['damaged', json, damaged],
    ['truncated', json, table.subarray(0, table.length - 3)],
    ['empty', json, new Uint8Array(0)],
  ] as const) {
    const tok = Tokenizer.fromJSON(j, { vocabTable: tab });
    assert.equal(tok.usesVocabTable, false, what);
    assert.deepEqual(tok.encode('good gold day'), Tokenizer.fromJSON(j).encode('good gold day'), what);
  }
});

test('a repeated key keeps its last id, from a table as from the JSON', () => {
  const json = new TextEncoder().encode(tinyTokenizerJson().replace('"day":7', '"day":7,"day":6'));
  const fromTable = Tokenizer.fromJSON(json, { vocabTable: buildVocabTable(json)! });
  assert.ok(fromTable.usesVocabTable);
  assertSameTokenizer(fromTable, Tokenizer.fromJSON(json), ['good day', 'day day'], 'repeated key');
});

test('a word that begins with the continuation prefix gets the reference WordPiece ids from every build', () => {
  // a prefix of letters ("qq"), so whole words begin with it; the tables keep "qqab" only as "ab" in `cont`
  const vocab = ['[UNK]', 'qq', 'q', 'a', 'b', 'ab', 'qqab', 'qqa', 'qqb', 'qqq', 'x', 'qqx', 'qqqq', 'aq'];
  const json = (preTokenizer: object) =>
    JSON.stringify({
      added_tokens: [{ id: 0, content: '[UNK]', special: true, normalized: false }],
      normalizer: { type: 'BertNormalizer', lowercase: true },
      pre_tokenizer: preTokenizer,
      model: {
        type: 'WordPiece',
        unk_token: '[UNK]',
        continuing_subword_prefix: 'qq',
        vocab: Object.fromEntries(vocab.map((t, i) => [t, i])),
      },
    });
  const fast = json({ type: 'BertPreTokenizer' });
  // the same pipeline without the fast path: the plain WordPiece model looks every piece up by its string
  const reference = Tokenizer.fromJSON(json({ type: 'Sequence', pretokenizers: [{ type: 'BertPreTokenizer' }] }));
  assert.equal(reference.usesFastPath, false);
  const bytes = new TextEncoder().encode(fast);
  const builds = {
    'from the parsed JSON': Tokenizer.fromJSON(fast),
    'from a vocabulary table': Tokenizer.fromJSON(bytes, { vocabTable: buildVocabTable(bytes)! }),
  };
  const words = ['qqab', 'qqabab', 'qqaqqb', 'qq', 'qqq', 'qqqab', 'qqqq', 'abqq', 'qqx', 'q', 'aqqb', 'qqzz', 'qqa b'];
  for (const [what, tok] of Object.entries(builds)) {
    assert.ok(tok.usesFastPath, what);
    for (const w of words) assert.deepEqual(tok.encode(w), reference.encode(w), `${what}: ${w}`);
    assert.equal(tok.medianTokenLength(), reference.medianTokenLength(), `${what}: median token length`);
  }
  assert.ok(builds['from a vocabulary table'].usesVocabTable);
});
