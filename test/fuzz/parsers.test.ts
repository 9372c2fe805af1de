/** Seeded property tests (fast-check) of every parser of untrusted files: each input parses or is a StaticEmbedError. */
import { test } from 'node:test';
import fc from 'fast-check';
import { StaticEmbedError } from '../../src/errors.js';
import { readSafetensors, tensorToNumbers } from '../../src/formats/safetensors.js';
import { resolveLayout } from '../../src/formats/layouts.js';
import { readNpyBytes } from '../../src/formats/npy.js';
import { column, parseTable, type TableFormat } from '../../src/formats/table.js';
import { BytesSource } from '../../src/model/files.js';
import { Tokenizer } from '../../src/tokenizer/tokenizer.js';

const RUNS = 10_000;
const enc = new TextEncoder();

/** Runs `check` on RUNS seeded inputs: it may return or throw a StaticEmbedError, nothing else. */
function typedOnly<T>(seed: number, arb: fc.Arbitrary<T>, check: (x: T) => void): void {
  fc.assert(
    fc.property(arb, (x) => {
      try {
        check(x);
      } catch (e) {
        if (!(e instanceof StaticEmbedError)) throw e;
      }
    }),
    { seed, numRuns: RUNS, endOnFailure: true },
  );
}

/** Bytes of a text, sometimes cut short or with a byte changed. */
const damaged = (text: string, cut: number, flip: number): Uint8Array => {
  const b = enc.encode(text);
  if (cut % 20 === 0) return b.subarray(0, cut % (b.length + 1));
  if (flip % 20 === 1 && b.length > 0) b[flip % b.length] = flip & 0xff;
  return b;
};

const json = fc.jsonValue({ maxDepth: 3 });
/** Mostly `a`, one time in twenty any JSON value. */
const odd = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: a, weight: 19 }, { arbitrary: json as fc.Arbitrary<unknown>, weight: 1 });
const smallString = fc.string({ maxLength: 8 });

test('safetensors headers', () => {
  const dtypes = ['F32', 'F16', 'BF16', 'F64', 'I8', 'U8', 'I32', 'I64'] as const;
  const size: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I8: 1, U8: 1, I32: 4, I64: 8 };
  const odd = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
    fc.oneof({ arbitrary: a, weight: 9 }, { arbitrary: json as fc.Arbitrary<unknown>, weight: 1 });
  const weird = fc.constantFrom('toString', '__proto__', 'f32', -1, 1.5, 2 ** 31, 2 ** 53, 2 ** 60);
  const tensor = fc.record({
    name: fc.oneof(
      { arbitrary: smallString, weight: 8 },
      { arbitrary: fc.constantFrom('embedding.weight', '__metadata__', '__proto__'), weight: 1 },
    ),
    dtype: fc.oneof({ arbitrary: fc.constantFrom(...dtypes), weight: 9 }, { arbitrary: weird, weight: 1 }),
    shape: fc.oneof({ arbitrary: fc.array(fc.nat(5), { maxLength: 3 }), weight: 9 }, { arbitrary: json, weight: 1 }),
    offsetDelta: fc.oneof(
      { arbitrary: fc.constant(0), weight: 9 },
      { arbitrary: fc.integer({ min: -9, max: 9 }), weight: 1 },
    ),
    drop: fc.constantFrom(undefined, undefined, undefined, undefined, 'dtype', 'shape', 'data_offsets'),
  });
  const file = fc.record({
    tensors: fc.array(tensor, { maxLength: 4 }),
    metadata: fc.option(odd(fc.dictionary(smallString, smallString, { maxKeys: 2 }))),
    whole: fc.oneof({ arbitrary: fc.constant(null), weight: 19 }, { arbitrary: json, weight: 1 }),
    extra: fc.uint8Array({ maxLength: 16 }),
    lenDelta: fc.oneof(
      { arbitrary: fc.constant(0), weight: 20 },
      { arbitrary: fc.integer({ min: -12, max: 12 }), weight: 1 },
      { arbitrary: fc.constantFrom(2 ** 40, 2 ** 62), weight: 1 },
    ),
    pad: fc.nat(7),
  });
  typedOnly(0x5afe01, file, ({ tensors, metadata, whole, extra, lenDelta, pad }) => {
    const header: Record<string, unknown> = {};
    if (metadata !== null) header.__metadata__ = metadata;
    let at = 0;
    for (const t of tensors) {
      const dims =
        Array.isArray(t.shape) && t.shape.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0 && d < 6);
      const n = dims ? (t.shape as number[]).reduce((a, d) => a * d, 1) : 0;
      const bytes = n * (typeof t.dtype === 'string' && Object.hasOwn(size, t.dtype) ? size[t.dtype]! : 1);
      const entry: Record<string, unknown> = {
        dtype: t.dtype,
        shape: t.shape,
        data_offsets: [at, at + bytes + t.offsetDelta],
      };
      if (t.drop) delete entry[t.drop];
      header[t.name] = entry;
      at += Math.max(0, bytes);
    }
    const text = enc.encode(JSON.stringify(whole ?? header) + ' '.repeat(pad));
    const bytes = new Uint8Array(8 + text.length + at + extra.length);
    new DataView(bytes.buffer).setBigUint64(0, BigInt(Math.max(0, text.length + lenDelta)), true);
    bytes.set(text, 8);
    for (let i = 8 + text.length; i < bytes.length; i++) bytes[i] = (i * 37) & 0xff;
    const st = readSafetensors(bytes);
    for (const t of st.tensors.values()) tensorToNumbers(t);
  });
});

/** Tokenizer components as tokenizer.json writes them, nested through Sequence, mixed with arbitrary JSON. */
function components(): { normalizer: fc.Arbitrary<unknown>; pre: fc.Arbitrary<unknown>; post: fc.Arbitrary<unknown> } {
  const pattern = fc.oneof(
    fc.record({ String: fc.constantFrom(' ', '-', 'a', '', '##') }),
    fc.record({ Regex: fc.constantFrom('\\s+', '\\p{L}+', '[', '(a|b)', '\\d', '.') }),
    json,
  );
  const { normalizer, pre } = fc.letrec<{ normalizer: unknown; pre: unknown }>((tie) => ({
    normalizer: fc.oneof(
      { depthSize: 'small' },
      fc.record({ type: fc.constantFrom('Lowercase', 'NFC', 'NFD', 'NFKC', 'NFKD', 'StripAccents', 'Nmt', 'X') }),
      fc.record({
        type: fc.constant('BertNormalizer'),
        lowercase: fc.boolean(),
        clean_text: fc.boolean(),
        handle_chinese_chars: fc.boolean(),
        strip_accents: fc.oneof(fc.boolean(), fc.constant(null)),
      }),
      fc.record({ type: fc.constant('Replace'), pattern, content: odd(smallString) }),
      fc.record({ type: fc.constant('Strip'), strip_left: fc.boolean(), strip_right: fc.boolean() }),
      fc.record({ type: fc.constant('Prepend'), prepend: odd(smallString) }),
      fc.record({
        type: fc.constant('Sequence'),
        normalizers: odd(fc.array(tie('normalizer'), { maxLength: 3 })),
      }),
    ),
    pre: fc.oneof(
      { depthSize: 'small' },
      fc.record({ type: fc.constantFrom('Whitespace', 'WhitespaceSplit', 'BertPreTokenizer', 'UnicodeScripts', 'X') }),
      fc.record({
        type: fc.constant('Metaspace'),
        replacement: odd(fc.constantFrom('▁', '', 'ab')),
        prepend_scheme: odd(fc.constantFrom('always', 'never', 'first')),
        split: fc.boolean(),
      }),
      fc.record({ type: fc.constant('ByteLevel'), add_prefix_space: fc.boolean(), use_regex: fc.boolean() }),
      fc.record({
        type: fc.constant('Split'),
        pattern,
        behavior: fc.oneof(
          fc.constantFrom('Removed', 'Isolated', 'MergedWithPrevious', 'MergedWithNext', 'Contiguous'),
          json,
        ),
        invert: fc.boolean(),
      }),
      fc.record({ type: fc.constant('Punctuation'), behavior: odd(fc.constantFrom('Isolated', 'Removed')) }),
      fc.record({ type: fc.constant('Digits'), individual_digits: fc.boolean() }),
      fc.record({ type: fc.constant('CharDelimiterSplit'), delimiter: odd(smallString) }),
      fc.record({
        type: fc.constant('Sequence'),
        pretokenizers: odd(fc.array(tie('pre'), { maxLength: 3 })),
      }),
    ),
  }));
  return { normalizer, pre, post: postProcessor() };
}

/** Post-processors as tokenizer.json writes them, mixed with arbitrary JSON. */
function postProcessor(): fc.Arbitrary<unknown> {
  const special = fc.tuple(fc.constantFrom('[CLS]', '[SEP]', 'x'), fc.integer({ min: -1, max: 12 }));
  const post = fc.oneof(
    fc.record({ type: fc.constantFrom('BertProcessing', 'RobertaProcessing'), sep: special, cls: special }),
    fc.record({ type: fc.constant('ByteLevel'), trim_offsets: fc.boolean() }),
    fc.record({
      type: fc.constant('TemplateProcessing'),
      single: fc.oneof(
        fc.array(
          fc.oneof(
            fc.record({
              SpecialToken: fc.record({ id: fc.constantFrom('[CLS]', '[SEP]', 'nope'), type_id: fc.nat(1) }),
            }),
            fc.record({ Sequence: fc.record({ id: fc.constant('A'), type_id: fc.nat(1) }) }),
            json,
          ),
          { maxLength: 4 },
        ),
        json,
      ),
      special_tokens: fc.oneof(
        fc.dictionary(
          fc.constantFrom('[CLS]', '[SEP]'),
          fc.record({
            id: smallString,
            ids: fc.array(fc.integer({ min: -2, max: 12 }), { maxLength: 2 }),
            tokens: fc.array(smallString, { maxLength: 2 }),
          }),
        ),
        json,
      ),
    }),
  );
  return post;
}

test('tokenizer.json', () => {
  const { normalizer, pre, post } = components();
  const tokens = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 });
  const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({
    weight,
    arbitrary: arbitrary as fc.Arbitrary<unknown>,
  });
  const model = fc.oneof(
    w(
      4,
      tokens.map((v) => ({ type: 'WordPiece', vocab: Object.fromEntries(v.map((t, i) => [t, i])), unk_token: v[0] })),
    ),
    w(
      1,
      fc.record(
        {
          type: fc.constant('WordPiece'),
          vocab: fc.dictionary(smallString, odd(fc.integer({ min: -1, max: 20 })), { maxKeys: 8 }),
          unk_token: odd(smallString),
          continuing_subword_prefix: odd(fc.constant('##')),
          max_input_chars_per_word: odd(fc.integer({ min: -1, max: 100 })),
        },
        { requiredKeys: ['type'] },
      ),
    ),
    w(
      4,
      fc
        .tuple(tokens, fc.array(fc.tuple(fc.nat(11), fc.nat(11)), { maxLength: 8 }), fc.boolean())
        .map(([v, m, arr]) => ({
          type: 'BPE',
          vocab: Object.fromEntries(v.map((t, i) => [t, i])),
          merges: m
            .filter(([a, b]) => a < v.length && b < v.length)
            .map(([a, b]) => (arr ? [v[a], v[b]] : `${v[a]} ${v[b]}`)),
          unk_token: v[0],
          byte_fallback: arr,
        })),
    ),
    w(
      1,
      fc.record(
        { type: fc.constant('BPE'), vocab: json, merges: json, unk_token: json, byte_fallback: fc.boolean() },
        { requiredKeys: ['type'] },
      ),
    ),
    w(
      4,
      fc
        .tuple(
          tokens,
          fc.array(fc.double({ min: -20, max: 0, noNaN: true }), { maxLength: 12 }),
          fc.integer({ min: -1, max: 12 }),
        )
        .map(([v, s, unk]) => ({
          type: 'Unigram',
          vocab: v.map((t, i) => [t, s[i] ?? -1]),
          unk_id: unk < 0 ? null : unk,
        })),
    ),
    w(1, fc.record({ type: fc.constant('Unigram'), vocab: json, unk_id: json }, { requiredKeys: ['type'] })),
    w(
      4,
      tokens.map((v) => ({ type: 'WordLevel', vocab: Object.fromEntries(v.map((t, i) => [t, i])), unk_token: v[0] })),
    ),
    w(1, json),
  );
  const added = fc.array(
    fc.record(
      {
        id: odd(fc.integer({ min: -1, max: 15 })),
        content: odd(smallString),
        special: fc.boolean(),
        normalized: fc.boolean(),
      },
      { requiredKeys: ['id', 'content'] },
    ),
    { maxLength: 3 },
  );
  const file = fc.record(
    {
      model,
      normalizer: odd(normalizer),
      pre_tokenizer: odd(pre),
      post_processor: odd(post),
      added_tokens: odd(added),
    },
    { requiredKeys: ['model'] },
  );
  const input = fc.record({
    file,
    text: fc.string({ maxLength: 24, unit: 'grapheme' }),
    cut: fc.nat(),
    flip: fc.nat(),
  });
  typedOnly(0x5afe02, input, ({ file: f, text, cut, flip }) => {
    const t = Tokenizer.fromJSON(damaged(JSON.stringify(f), cut, flip));
    t.encode(text);
    t.encodeBatch([text, '', 'hello world']);
  });
});

test('model configs: config.json, modules.json, config_sentence_transformers.json', () => {
  const path = fc.oneof(
    fc.constantFrom('0_StaticEmbedding', '', '.', '../x', '/abs', 'a/../..', 'a\\..\\b'),
    smallString,
    json,
  );
  const type = fc.oneof(
    fc.constantFrom('sentence_transformers.models.StaticEmbedding', 'sentence_transformers.models.Normalize', 'X'),
    json,
  );
  const modules = fc.oneof(
    fc.array(fc.record({ idx: fc.nat(3), name: smallString, path, type }, { requiredKeys: [] }), { maxLength: 3 }),
    json,
  );
  const config = fc.oneof(
    fc.record({ model_type: fc.oneof(fc.constant('model2vec'), json), normalize: json }, { requiredKeys: [] }),
    json,
  );
  const stConfig = fc.oneof(
    fc.record({ similarity_fn_name: fc.oneof(fc.constantFrom('cosine', 'dot', 'x'), json) }, { requiredKeys: [] }),
    json,
  );
  const present = fc.record({
    'config.json': fc.option(config),
    'modules.json': fc.option(modules),
    'config_sentence_transformers.json': fc.option(stConfig),
    cut: fc.nat(),
    flip: fc.nat(),
    extra: fc.subarray([
      'model.safetensors',
      'tokenizer.json',
      '0_StaticEmbedding/model.safetensors',
      '0_StaticEmbedding/tokenizer.json',
    ]),
  });
  typedOnly(0x5afe03, present, (p) => {
    const files = new Map<string, Uint8Array>();
    for (const name of ['config.json', 'modules.json', 'config_sentence_transformers.json'] as const) {
      const v = p[name];
      if (v !== null) files.set(name, damaged(JSON.stringify(v) ?? 'null', p.cut, p.flip));
    }
    for (const e of p.extra) files.set(e, new Uint8Array(0));
    const r = resolveLayout(new BytesSource(files), 'fuzz');
    for (const f of [r.tokenizer, r.weights])
      if (f.startsWith('/') || f.split(/[\\/]/).includes('..')) throw new Error(`${f} escapes the model folder`);
  });
});

test('npy', () => {
  const sizes: Record<string, number> = { '<f4': 4, '<f8': 8, '<f2': 2, '|i1': 1, '|u1': 1, '<i4': 4, '<i8': 8 };
  const some = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> =>
    fc.oneof({ arbitrary: good, weight: 9 }, { arbitrary: bad, weight: 1 });
  const descr = some(
    fc.constantFrom(...Object.keys(sizes)),
    fc.oneof(fc.constantFrom('>f4', 'toString', ''), smallString),
  );
  const dims = fc.array(some<number | string>(fc.nat(4), fc.oneof(fc.constantFrom(-1, 2 ** 53, 1e20), smallString)), {
    maxLength: 3,
  });
  const file = fc.record({
    magic: some(fc.constant('\x93NUMPY'), fc.constantFrom('\x93NUMPX', 'NUMPY')),
    major: some(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 4)),
    descr,
    fortran: some(fc.constant('False'), fc.constantFrom('True', 'None')),
    dims,
    comma: fc.boolean(),
    raw: some(fc.constant(null), fc.string({ maxLength: 40 })),
    lenDelta: some(fc.constant(0), fc.oneof(fc.integer({ min: -5, max: 5 }), fc.constant(60_000))),
    dataDelta: some(fc.constant(0), fc.integer({ min: -9, max: 9 })),
  });
  typedOnly(0x5afe04, file, (f) => {
    const h =
      f.raw ??
      `{'descr': '${f.descr}', 'fortran_order': ${f.fortran}, 'shape': (${f.dims.join(', ')}${f.comma ? ',' : ''}), }`;
    const wide = f.major >= 2;
    const text = Uint8Array.from(h + '\n', (c) => c.charCodeAt(0) & 0xff);
    const pre = wide ? 12 : 10;
    const n = f.dims.reduce<number>((a, d) => a * (typeof d === 'number' && d < 5 ? d : 1), 1);
    const dataLen = Math.max(0, n * (Object.hasOwn(sizes, f.descr) ? sizes[f.descr]! : 4) + f.dataDelta);
    const b = new Uint8Array(pre + text.length + dataLen);
    for (let i = 0; i < Math.min(6, f.magic.length); i++) b[i] = f.magic.charCodeAt(i);
    b[6] = f.major;
    const v = new DataView(b.buffer);
    const len = Math.max(0, text.length + f.lenDelta);
    if (wide) v.setUint32(8, len, true);
    else v.setUint16(8, Math.min(len, 65535), true);
    b.set(text, pre);
    for (let i = pre + text.length; i < b.length; i++) b[i] = (i * 91) & 0xff;
    const a = readNpyBytes(b, 'fuzz.npy');
    if (a.data.length !== a.shape.reduce((x, y) => x * y, 1)) throw new Error('shape and data disagree');
  });
});

test('JSONL (and CSV, TSV) input', () => {
  const text = fc.oneof(smallString, fc.constantFrom('a\tb', 'x,y', '"q"', 'é\u0000', '\u2028'));
  const record = fc.record(
    { text, label: fc.oneof(smallString, fc.integer()), score: fc.oneof(fc.double(), smallString) },
    { requiredKeys: [] },
  );
  const line = fc.oneof(
    { weight: 12, arbitrary: record.map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: json.map((v) => JSON.stringify(v) ?? '') },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '"', 'text,label', 'text\tlabel', 'a,"b', '"a""b",c') },
  );
  const input = fc.record({
    lines: fc.array(line, { minLength: 1, maxLength: 8 }),
    eol: fc.constantFrom('\n', '\n', '\r\n', '\r'),
    format: fc.constantFrom<TableFormat>('jsonl', 'jsonl', 'csv', 'tsv'),
    col: fc.constantFrom('text', 'text', 'text', 'label', 'score', 'missing'),
    kind: fc.constantFrom<'string' | 'number'>('string', 'string', 'number'),
  });
  typedOnly(0x5afe05, input, ({ lines, eol, format, col, kind }) => {
    const t = parseTable(lines.join(eol), `fuzz.${format}`, format);
    column(t, col, kind);
  });
});
