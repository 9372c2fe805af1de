/** Bad tokenizer files and odd texts: typed errors naming the problem, documented behaviour, never a crash. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { StaticEmbedError, Tokenizer } from '../../src/index.js';
import { repoFile } from '../helpers/shared.js';

const tiny = (over: Record<string, unknown> = {}) => ({
  added_tokens: [{ id: 0, content: '[UNK]', special: true, normalized: false }],
  normalizer: {
    type: 'BertNormalizer',
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: null,
    lowercase: true,
  },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  model: {
    type: 'WordPiece',
    unk_token: '[UNK]',
    continuing_subword_prefix: '##',
    max_input_chars_per_word: 100,
    vocab: { '[UNK]': 0, hello: 1, world: 2, '##s': 3, '!': 4 },
  },
  ...over,
});

function rejects(source: unknown, code: string, pattern: RegExp): void {
  assert.throws(
    () => Tokenizer.fromJSON(source as object),
    (e: unknown) => {
      assert.ok(e instanceof StaticEmbedError, `expected StaticEmbedError, got ${String(e)}`);
      assert.equal(e.code, code);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('a tiny WordPiece tokenizer works from an object, a string and bytes', () => {
  const json = tiny();
  for (const src of [json, JSON.stringify(json), new TextEncoder().encode(JSON.stringify(json))]) {
    const tok = Tokenizer.fromJSON(src);
    assert.deepEqual([...tok.encode('Hello worlds!')], [1, 2, 3, 4]);
    assert.deepEqual([...tok.encode('unknown')], [0]);
  }
});

test('malformed files get typed errors', () => {
  rejects('{"model": ', 'INVALID_JSON', /not valid JSON/);
  rejects(new Uint8Array([0x7b, 0xff, 0x7d]), 'INVALID_JSON', /UTF-8/);
  rejects('[]', 'INVALID_TOKENIZER', /JSON object/);
  rejects({}, 'INVALID_TOKENIZER', /no "model"/);
  rejects(
    tiny({ model: { type: 'WordPiece', unk_token: '[UNK]', vocab: [] } }),
    'INVALID_TOKENIZER',
    /must be an object/,
  );
  rejects(
    tiny({ model: { type: 'WordPiece', unk_token: '[X]', vocab: { a: 0 } } }),
    'MISSING_TOKEN',
    /unk_token "\[X\]"/,
  );
  rejects(tiny({ model: { type: 'WordPiece', unk_token: 'a', vocab: { a: -1 } } }), 'INVALID_TOKENIZER', /integer id/);
  rejects(tiny({ model: { vocab: { a: 0 } } }), 'INVALID_TOKENIZER', /no "type"/);
  rejects(tiny({ model: { type: 'BPE', vocab: { a: 0 }, merges: ['a b'] } }), 'INVALID_TOKENIZER', /merge 0/);
  rejects(tiny({ model: { type: 'Unigram', unk_id: 5, vocab: [['a', -1]] } }), 'INVALID_TOKENIZER', /unk_id 5/);
  rejects(tiny({ added_tokens: [{ content: 5 }] }), 'INVALID_TOKENIZER', /added token/);
  rejects(
    tiny({ pre_tokenizer: { type: 'Split', pattern: { Regex: '(?<=a' }, behavior: 'Isolated' } }),
    'UNSUPPORTED_COMPONENT',
    /not valid as a JavaScript/,
  );
});

test('unknown component types name the component and the supported ones', () => {
  rejects(
    tiny({ normalizer: { type: 'Precompiled', precompiled_charsmap: '' } }),
    'UNSUPPORTED_COMPONENT',
    /normalizer type "Precompiled".*Supported normalizer types: BertNormalizer, NFC/,
  );
  rejects(
    tiny({ pre_tokenizer: { type: 'UnicodeScripts' } }),
    'UNSUPPORTED_COMPONENT',
    /pre-tokenizer type "UnicodeScripts".*BertPreTokenizer/,
  );
  rejects(
    tiny({ model: { type: 'Magic', vocab: {} } }),
    'UNSUPPORTED_COMPONENT',
    /model type "Magic".*WordPiece, Unigram, BPE, WordLevel/,
  );
  rejects(tiny({ post_processor: { type: 'Nope' } }), 'UNSUPPORTED_COMPONENT', /post-processor type "Nope"/);
  rejects(tiny({ normalizer: { type: 'Sequence', normalizers: {} } }), 'INVALID_TOKENIZER', /"normalizers" array/);
});

test('lone surrogates are read as U+FFFD (what a UTF-8 encoder writes), on the fast and the generic path', () => {
  const tok = Tokenizer.fromJSON(tiny());
  assert.ok(tok.usesFastPath);
  // BertNormalizer's clean_text deletes U+FFFD, so the surrogate vanishes and the word stays whole
  for (const text of ['hel\ud800lo', 'hello\udc00', '\udbffhello', 'hel\ufffdlo']) {
    assert.deepEqual([...tok.encode(text)], [1], JSON.stringify(text));
  }
  const generic = Tokenizer.fromJSON(tiny({ pre_tokenizer: { type: 'WhitespaceSplit' } }));
  assert.ok(!generic.usesFastPath);
  assert.deepEqual([...generic.encode('hel\ud800lo world')], [1, 2]);
});

test('non-string input is a typed error', () => {
  const tok = Tokenizer.fromJSON(tiny());
  assert.throws(
    () => tok.encode(5 as unknown as string),
    (e: unknown) => e instanceof StaticEmbedError && e.code === 'INVALID_INPUT',
  );
  assert.throws(
    () => tok.encodeBatch('abc' as unknown as string[]),
    (e: unknown) => e instanceof StaticEmbedError && e.code === 'INVALID_INPUT',
  );
});

test('encodeBatch: one flat Uint32Array and n + 1 offsets', () => {
  const tok = Tokenizer.fromJSON(tiny());
  const b = tok.encodeBatch(['hello world', '', 'worlds!']);
  assert.ok(b.ids instanceof Uint32Array);
  assert.deepEqual([...b.offsets], [0, 2, 2, 5]);
  assert.deepEqual([...b.ids], [1, 2, 2, 3, 4]);
});

test('huge words and long texts stay linear: a 1 MB word is one [UNK]', () => {
  const tok = Tokenizer.fromJSON(tiny());
  assert.deepEqual([...tok.encode('a'.repeat(1 << 20))], [0]);
  assert.equal(tok.encode('hello '.repeat(100_000)).length, 100_000);
});

test('special tokens only on request, from the post-processor', () => {
  const tok = Tokenizer.fromJSON(readFileSync(repoFile('test/fixtures/tokenizers/wordpiece-custom.json')));
  const plain = tok.encode('hello');
  const special = tok.encode('hello', { addSpecialTokens: true });
  assert.equal(special.length, plain.length + (special.length - plain.length));
  const bert = Tokenizer.fromJSON(
    tiny({
      added_tokens: [
        { id: 0, content: '[UNK]', special: true, normalized: false },
        { id: 5, content: '[CLS]', special: true, normalized: false },
        { id: 6, content: '[SEP]', special: true, normalized: false },
      ],
      post_processor: { type: 'BertProcessing', cls: ['[CLS]', 5], sep: ['[SEP]', 6] },
    }),
  );
  assert.deepEqual([...bert.encode('hello', { addSpecialTokens: true })], [5, 1, 6]);
  assert.deepEqual([...bert.encode('hello')], [1]);
  // written literally in a text, a special token is its own id even without special tokens
  assert.deepEqual([...bert.encode('[CLS]hello[SEP]')], [5, 1, 6]);
});
