/**
 * How the CLI reads option values and words: numbers strictly (one rule, src/cli/io/numbers.ts), an empty value as a
 * missing one, a text that looks like an option pointed to "--", a subcommand checked before its options.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInteger, parseIntegerList, parseNumber } from '../../src/cli/io/numbers.js';
import { StaticEmbedError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'se-args-'));
const input = join(dir, 'in.txt');
writeFileSync(input, 'hello\nbye\n');

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const invalid = (f: () => unknown, message: RegExp) =>
  assert.throws(
    f,
    (e: unknown) => e instanceof StaticEmbedError && e.code === 'INVALID_ARGUMENT' && message.test(e.message),
  );

describe('integers', () => {
  test('decimal digits only: no hex, exponent, fraction, "+", spaces or leading zeros', () => {
    assert.equal(parseInteger('16', 'top-k'), 16);
    assert.equal(parseInteger('0', 'seed', { min: 0 }), 0);
    assert.equal(parseInteger('-3', 'x', { min: -5 }), -3);
    assert.equal(parseInteger('65535', 'port', { min: 0, max: 65_535 }), 65_535);
    for (const bad of [
      '0x10',
      '1e3',
      '08',
      '00',
      '1.0',
      '1.5',
      '+5',
      ' 8',
      '8 ',
      '',
      '1_000',
      'Infinity',
      'ten',
      '0b1',
    ])
      invalid(
        () => parseInteger(bad, 'top-k'),
        new RegExp(`^--top-k must be an integer >= 1, got ${escape(JSON.stringify(bad))}`),
      );
    invalid(
      () => parseInteger('0x10', 'top-k'),
      /\(write it in decimal digits: no "\+", exponent, fraction, hex or leading zeros\)\.$/,
    );
  });

  test('a value out of range names the range', () => {
    invalid(() => parseInteger('0', 'top-k'), /^--top-k must be an integer >= 1, got "0"\.$/);
    invalid(
      () => parseInteger('99999999999999999999', 'max-pairs'),
      /^--max-pairs must be an integer >= 1, got "99999999999999999999" \(at most 9007199254740991\)\.$/,
    );
    invalid(
      () => parseInteger('70000', 'port', { min: 0, max: 65_535 }),
      /^--port must be an integer from 0 to 65535, got "70000"\.$/,
    );
    invalid(() => parseInteger('9007199254740993', 'n'), /must be an integer >= 1/);
  });

  test('lists: comma-separated, each one checked', () => {
    assert.deepEqual(parseIntegerList('32,64,256', 'dims'), [32, 64, 256]);
    invalid(
      () => parseIntegerList('32,0x40', 'dims'),
      /^--dims must be a comma-separated list of integers >= 1, got "32,0x40" \("0x40" is not one/,
    );
    invalid(() => parseIntegerList('32,,64', 'dims'), /got "32,,64" \("" is not one/);
    invalid(() => parseIntegerList('32,0', 'dims'), /\("0" is out of range\)/);
  });
});

describe('numbers', () => {
  test('decimal with optional fraction and exponent', () => {
    for (const [text, value] of [
      ['0.5', 0.5],
      ['.5', 0.5],
      ['-0.25', -0.25],
      ['2e-3', 0.002],
      ['1E3', 1000],
      ['0', 0],
      ['10', 10],
    ] as const)
      assert.equal(parseNumber(text, 'lr'), value, text);
    for (const bad of ['0x10', '1e', '5.', '+1', ' 1', '1 ', '', 'NaN', 'Infinity', '1e999', '007', '1,5'])
      invalid(() => parseNumber(bad, 'lr'), new RegExp(`^--lr must be a number, got ${escape(JSON.stringify(bad))}`));
  });

  test('ranges with inclusive or exclusive bounds', () => {
    invalid(() => parseNumber('0', 'lr', { above: 0 }), /^--lr must be a number > 0, got "0"\.$/);
    invalid(
      () => parseNumber('1.5', 'threshold', { min: -1, max: 1 }),
      /^--threshold must be a number from -1 to 1, got "1\.5"\.$/,
    );
    invalid(() => parseNumber('-1', 'w', { min: 0 }), /^--w must be a number >= 0, got "-1"\.$/);
  });
});

test('the CLI: loose numbers, empty values, option-like texts, bad subcommands: exit 2', async () => {
  const cases: Array<[string[], RegExp]> = [
    [
      ['search', '--corpus', input, '--query', 'hi', '--top-k', '0x10'],
      /--top-k must be an integer from 1 to 1000000, got "0x10" \(write it in decimal/,
    ],
    [
      ['search', '--corpus', input, '--query', 'hi', '--top-k', '1e3'],
      /--top-k must be an integer from 1 to 1000000, got "1e3"/,
    ],
    [['encode', '--input', input, '--dim', '08'], /--dim must be an integer >= 1, got "08"/],
    [['mine', '--input', input, '--threshold', '0x1'], /--threshold must be a number from -1 to 1, got "0x1"/],
    [['train', '--data', input, '--out', join(dir, 't'), '--lr', '0x1'], /--lr must be a number > 0, got "0x1"/],
    [
      ['train', '--data', input, '--out', join(dir, 't'), '--matryoshka-dims', '8,1e1'],
      /--matryoshka-dims must be a comma-separated list of integers >= 1, got "8,1e1"/,
    ],
    [['eval', '--dims', '32,x'], /--dims must be a comma-separated list of integers >= 1, got "32,x"/],
    [
      ['classify', 'train', '--data', input, '--out', join(dir, 'c.json'), '--c', '0'],
      /--c must be a number > 0, got "0"/,
    ],
    [['serve', '--shutdown-grace', '1e'], /--shutdown-grace must be a number of seconds > 0, got "1e"/],
    // an empty value is not "no value": --model '' is not the embedded model
    [['info', '--model', ''], /--model needs a value, but it is empty \(""\); give one, or leave the option out/],
    [['info', '--model='], /--model needs a value, but it is empty/],
    [['encode', '--input', input, '--output', ''], /--output needs a value, but it is empty/],
    // a text that looks like a long option: the hint to put it after "--", as for one that looks like a short one
    [
      ['similarity', 'a', '--b'],
      new RegExp(
        'unknown option --b\\. Did you mean --fn\\? If --b is a text, not an option: a text that starts with "-" ' +
          'goes after "--" \\(static-embed similarity \\[options\\] -- TEXT …\\)\\.',
      ),
    ],
    [
      ['similarity', 'a', '-b'],
      /A text that starts with "-" goes after "--" \(static-embed similarity \[options\] -- TEXT …\)/,
    ],
    [
      ['train-tokenizer', '--out', 'x.json', '--notes.txt'],
      /If --notes\.txt is a file name, not an option: a file name that starts with "-" goes after "--"/,
    ],
    // the subcommand is checked before its options
    [['index', 'foo'], /the first word must be "build", "search" or "info", got "foo"/],
    [['index'], /the first word must be "build", "search" or "info", got nothing/],
    [['index', 'foo', '--db', join(dir, 'db')], /the first word must be "build", "search" or "info", got "foo"/],
    // a misspelled subcommand gets a did-you-mean, a far one none
    [['index', 'serach'], /got "serach"\. Did you mean "search"\? \(static-embed index build\|search\|info …/],
    [['classify', 'trian'], /must be "train" or "predict", got "trian"\. Did you mean "train"\?/],
    [['classify', 'prdict', '--model', 'x'], /Did you mean "predict"\?/],
    [['classify', 'TRAIN'], /got "TRAIN"\. Did you mean "train"\?/],
    [
      ['classify', 'zzzzzz'],
      /got "zzzzzz"\. \(static-embed classify train\|predict …; see static-embed classify --help\)/,
    ],
  ];
  for (const [argv, message] of cases) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, argv.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `${argv.join(' ')}: one line`);
    assert.match(r.stderr, new RegExp(`^static-embed ${argv[0]}: error \\[INVALID_ARGUMENT\\]: `));
  }
  // an unknown option of a command without operands gets no "--" hint
  const info = await runCli(['info', '--bogus']);
  assert.doesNotMatch(info.stderr, /goes after "--"/);
  // texts after "--" are texts
  const sim = await runCli(['similarity', '--json', '--', 'a', '--b']);
  assert.equal(sim.code, 0, sim.stderr);
  assert.deepEqual((JSON.parse(sim.stdout) as { texts: string[] }).texts, ['a', '--b']);
});

test('an argument a command does not take is an error naming it, never silently dropped', async () => {
  for (const [args, stray] of [
    [['tokenize', 'some text'], 'some text'],
    [['encode', '--input', input, 'stray'], 'stray'],
    [['info', 'extra'], 'extra'],
    [['classify', 'train', 'predict', '--data', input], 'predict'],
  ] as const) {
    const r = await runCli([...args], 'from stdin\n');
    assert.equal(r.code, 2, args.join(' '));
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(`error [INVALID_ARGUMENT]: unexpected argument "${stray}"`), r.stderr);
  }
});

test('-h and --help are options only where an option can be: not after "--", not as an option\'s value', async () => {
  const asText = await runCli(['similarity', '--', '-h', 'cold']);
  assert.equal(asText.code, 0, asText.stderr);
  assert.match(asText.stdout, /^cosine similarity/);
  const asValue = await runCli(['search', '--corpus', input, '--query', '-h']);
  assert.equal(asValue.code, 0, asValue.stderr);
  assert.match(asValue.stdout, /Query: -h/);
  const help = await runCli(['info', '--help']);
  assert.match(help.stdout, /^Usage: static-embed info/);
});

test('an --output that is a FIFO (or a device) is refused, never replaced by a file', async (t) => {
  if (process.platform === 'win32') return t.skip('no FIFOs');
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const r = await runCli(['encode', '--input', input, '--output', fifo, '--overwrite']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--output .*fifo is not a regular file \(a device, FIFO or socket\)/);
  assert.ok(statSync(fifo).isFIFO());
});

test('an option that sizes threads or memory has a ceiling: past it a range error, never an allocation failure', async () => {
  for (const [args, msg] of [
    [
      ['search', '--corpus', input, '--query', 'a', '--top-k', '4294967295'],
      '--top-k must be an integer from 1 to 1000000',
    ],
    [['encode', '--input', input, '--workers', '100000'], '--workers must be an integer from 1 to 1024'],
    [['encode', '--input', input, '--batch-size', '100000000'], '--batch-size must be an integer from 1 to 1000000'],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.ok(r.stderr.includes(msg), r.stderr);
  }
});

test('eleven workers writing to a file stdout print no listener warning', async () => {
  const r = await runCli(['encode', '--input', input, '--workers', '11']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.equal(r.stdout.trim().split('\n').length, 2);
});
