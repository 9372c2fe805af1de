/**
 * Every command tried as a new user would get it wrong: a missing file, a directory where a file belongs, a path
 * that cannot be opened, a misspelled flag. Each must exit 2 with one line `static-embed CMD: error [CODE]: …`
 * (the prefix once) and no stack trace. Tests run as root, so "unreadable" cannot be a chmod 000 file; it is a
 * path through a regular file (ENOTDIR), which no user can open either.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { repoFile } from '../helpers/shared.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';
import { closest, editDistance } from '../../src/cli/cli-errors.js';

const dir = mkdtempSync(join(tmpdir(), 'se-err-'));
const model = join(dir, 'tiny');
for (const [p, b] of Object.entries(tinyModelFiles())) {
  mkdirSync(dirname(join(model, p)), { recursive: true });
  writeFileSync(join(model, p), b);
}
const text = join(dir, 'in.txt');
writeFileSync(text, 'hello world\n');
const folder = join(dir, 'a-folder');
mkdirSync(folder);

const BAD_PATHS = {
  missing: join(dir, 'nonexistent.txt'),
  directory: folder,
  unreadable: join(text, 'inside-a-file.txt'),
};

/** Each command with the place a path goes, as `(path) => argv`. */
const COMMANDS: Array<[string, (p: string) => string[]]> = [
  ['encode', (p) => ['encode', '--model', model, '--input', p]],
  ['encode', (p) => ['encode', '--model', p, '--input', text]],
  ['similarity', (p) => ['similarity', '--model', p, 'a', 'b']],
  ['info', (p) => ['info', '--model', p]],
  ['tokenize', (p) => ['tokenize', '--model', model, '--input', p]],
  ['tokenize', (p) => ['tokenize', '--model', p, '--input', text]],
  ['search', (p) => ['search', '--model', model, '--corpus', p, '--query', 'hello']],
  ['search', (p) => ['search', '--model', model, '--corpus', text, '--queries', p]],
  ['search', (p) => ['search', '--model', model, '--corpus', p, '--chunk', 'sentence', '--query', 'hello']],
  ['chunk', (p) => ['chunk', '--model', model, '--input', p]],
  ['chunk', (p) => ['chunk', '--model', p, '--input', text]],
  ['mine', (p) => ['mine', '--model', model, '--input', p]],
  ['cluster', (p) => ['cluster', '--model', model, '--input', p, '--k', '1']],
  ['classify', (p) => ['classify', 'train', '--model', model, '--data', p, '--out', join(dir, 'clf.json')]],
  ['classify', (p) => ['classify', 'predict', '--model', model, '--classifier', p, '--input', text]],
  ['eval', (p) => ['eval', '--model', model, '--data', p, '--quick', '--out', join(dir, 'eval-out')]],
  ['eval', (p) => ['eval', '--model', model, '--tasks', 'sts', '--file', p, '--out', join(dir, 'eval-out')]],
  // a new --out each time: an --out that a previous case filled is refused (not empty) before the path is looked at
  ['convert', (p) => ['convert', '--model', p, '--out', join(mkdtempSync(join(dir, 'cv-')), 'm')]],
  ['convert', (p) => ['convert', '--model', model, '--out', join(mkdtempSync(join(dir, 'cv-')), 'm'), '--report', p]],
  ['train', (p) => ['train', '--data', p, '--out', join(dir, 'trained'), '--tokenizer', model, '--dim', '4']],
  ['train', (p) => ['train', '--data', text, '--out', join(dir, 'trained'), '--tokenizer', p, '--dim', '4']],
  ['train', (p) => ['train', '--data', text, '--out', join(dir, 'trained'), '--init', p]],
  ['train-tokenizer', (p) => ['train-tokenizer', '--input', p, '--vocab-size', '100', '--out', join(dir, 'tok.json')]],
  ['serve', (p) => ['serve', '--model', p, '--port', '0', '--quiet']],
];

function assertOneCleanError(r: { code: number; stdout: string; stderr: string }, command: string, what: string): void {
  assert.equal(r.code, 2, `${what}: exit code ${r.code}\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s{4}at /m, `${what}: a stack trace\n${r.stderr}`);
  const prefix = `static-embed ${command}: error [`;
  const errorLines = r.stderr.split('\n').filter((l) => l.includes('error ['));
  assert.equal(errorLines.length, 1, `${what}: one error line\n${r.stderr}`);
  assert.ok(errorLines[0]!.startsWith(prefix), `${what}: starts with "${prefix}"\n${r.stderr}`);
  assert.equal(
    r.stderr.split('static-embed ').length - 1,
    1 + (errorLines[0]!.match(/static-embed /g)!.length - 1),
    `${what}: the prefix once`,
  );
  assert.doesNotMatch(
    errorLines[0]!.slice(prefix.length),
    new RegExp(`static-embed ${command}: `),
    `${what}: prefix repeated`,
  );
}

/** Runs jobs a few at a time (the machine has 2 cores). */
async function pool<T>(jobs: Array<() => Promise<T>>, n = 3): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < jobs.length) {
        const i = next++;
        out[i] = await jobs[i]!();
      }
    }),
  );
  return out;
}

test(
  'every command: a missing, folder or unopenable path is one error line, exit 2',
  { timeout: 300_000 },
  async () => {
    const jobs = COMMANDS.flatMap(([command, argv]) =>
      Object.entries(BAD_PATHS).map(([kind, p]) => async () => {
        const args = argv(p);
        const r = await runCli(args);
        return () => {
          const what = `${kind}: static-embed ${args.join(' ')}`;
          assertOneCleanError(r, command, what);
          // the project's message (the path and the fix), never Node's raw one
          assert.doesNotMatch(r.stderr, /ENOENT: no such file or directory, /, `${what}: Node's raw message`);
          if (kind === 'missing' && /\[(IO_ERROR|NOT_FOUND)\]/.test(r.stderr))
            assert.ok(r.stderr.includes(p), `${what}: names the path\n${r.stderr}`);
        };
      }),
    );
    for (const check of await pool(jobs)) check();
  },
);

test('every command: a misspelled flag gets "did you mean", exit 2, no stack trace', { timeout: 120_000 }, async () => {
  const seen = new Set<string>();
  const jobs = COMMANDS.filter(([c]) => !seen.has(c) && seen.add(c)).map(([command, argv]) => async () => {
    // the command's first flag with two letters swapped: --model → --mdoel
    const args = argv(text);
    const k = args.findIndex((a) => a.startsWith('--'));
    const flag = args[k]!.slice(2);
    const typo = flag[0]! + flag[2]! + flag[1]! + flag.slice(3);
    args[k] = `--${typo}`;
    const r = await runCli(args);
    return () => {
      assertOneCleanError(r, command, `static-embed ${args.join(' ')}`);
      assert.ok(r.stderr.includes(`unknown option --${typo}. Did you mean --${flag}?`), r.stderr);
    };
  });
  for (const check of await pool(jobs)) check();
});

test('a misspelled command gets "did you mean", exit 2', async () => {
  const c = await runCli(['encdoe']);
  assert.equal(c.code, 2);
  assert.match(
    c.stderr,
    /^static-embed: error \[INVALID_ARGUMENT\]: unknown command "encdoe"\. Did you mean "encode"\?/,
  );
});

test("--dim above the model's dimensions is an error", async () => {
  const r = await runCli(['encode', '--model', model, '--input', text, '--dim', '99999']);
  assertOneCleanError(r, 'encode', 'encode --dim 99999');
  assert.match(r.stderr, /--dim 99999 is more than the model's 4 dimensions/);
});

describe('blank lines are skipped and reported with their line numbers', () => {
  const blanks = join(dir, 'blanks.txt');
  writeFileSync(blanks, 'hello world\n\ngood day\n   \nhello\n');

  test('by search', async () => {
    const s = await runCli(['search', '--model', model, '--corpus', blanks, '--query', 'good day', '--top-k', '5']);
    assert.equal(s.code, 0, s.stderr);
    assert.equal((s.stdout.match(/^\s+\d+\. /gm) ?? []).length, 3, 'no hits for blank lines');
    assert.match(s.stdout, /\[3\] good day/);
    assert.match(s.stdout, /Skipped 2 blank lines of .*blanks\.txt \(lines 2, 4\)/);
  });

  test('by mine', async () => {
    const m = await runCli(['mine', '--model', model, '--input', blanks, '--json']);
    assert.equal(m.code, 0, m.stderr);
    const pairs = JSON.parse(m.stdout) as Array<{ i: number; j: number }>;
    assert.equal(pairs.length, 3);
    for (const p of pairs)
      for (const i of [p.i, p.j]) assert.ok([0, 2, 4].includes(i), `line index ${i} is a text line`);
    assert.match(m.stderr, /Skipped 2 blank lines/);
  });

  test('by cluster, labelled -1', async () => {
    const c = await runCli(['cluster', '--model', model, '--input', blanks, '--k', '2', '--json']);
    assert.equal(c.code, 0, c.stderr);
    const { labels } = JSON.parse(c.stdout) as { labels: number[] };
    assert.equal(labels.length, 5);
    assert.equal(labels[1], -1);
    assert.equal(labels[3], -1);
  });
});

test(
  'serve: a bad or busy port, a bad limit: one error line, exit 2, the process ends',
  { timeout: 120_000 },
  async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as AddressInfo).port;
    try {
      const cases: Array<[string[], RegExp]> = [
        [['--port', '99999'], /--port must be an integer from 0 to 65535, got "99999"/],
        [['--port', String(busy)], /\[IO_ERROR\]: Cannot listen: the address is already in use .*--port/],
        [['--port', '0', '--max-body-bytes', 'abc'], /--max-body-bytes must be an integer >= 1/],
      ];
      for (const [extra, message] of cases) {
        // before the fix these hung (the serializer threads kept the process alive): the test's timeout catches that
        const r = await runCli(['serve', '--model', model, '--quiet', ...extra]);
        assertOneCleanError(r, 'serve', `serve ${extra.join(' ')}`);
        assert.match(r.stderr, message);
      }
    } finally {
      blocker.close();
    }
  },
);

test("an unbuilt checkout's CLI says to build it (one line, exit 2), no stack trace", () => {
  const bin = join(dir, 'unbuilt', 'bin', 'static-embed.js');
  mkdirSync(dirname(bin), { recursive: true });
  copyFileSync(repoFile('bin/static-embed.js'), bin);
  const r = spawnSync(process.execPath, [bin, 'info'], { encoding: 'utf8' });
  assert.equal(r.status, 2, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^static-embed: error \[NOT_FOUND\]: dist\/ is missing.*npm run build/);
});

test("a source checkout's CLI builds dist/ itself on first use (after npm ci)", () => {
  const root = join(dir, 'checkout');
  const bin = join(root, 'bin', 'static-embed.js');
  mkdirSync(dirname(bin), { recursive: true });
  mkdirSync(join(root, 'src', 'cli'), { recursive: true });
  copyFileSync(repoFile('bin/static-embed.js'), bin);
  symlinkSync(repoFile('node_modules'), join(root, 'node_modules'), 'dir');
  const compilerOptions = { outDir: 'dist', rootDir: '.', module: 'nodenext', target: 'es2022', strict: true };
  writeFileSync(join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['src'] }));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module' }));
  const main =
    'export async function main(a: string[]): Promise<number> { console.log(`built ${a.join(" ")}`); return 0; }\n';
  writeFileSync(join(root, 'src', 'cli', 'main.ts'), main);
  const r = spawnSync(process.execPath, [bin, 'info', 'x'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'built info x');
  assert.match(r.stderr, /building dist\//);
  const again = spawnSync(process.execPath, [bin, 'info'], { encoding: 'utf8' });
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stderr, '', 'the second run finds dist/ and builds nothing');
});

describe('values starting with "-"', () => {
  test('are the value, checked by the command (--top-k -1 as --top-k=-1)', async () => {
    // --top-k takes no negative number: its own "invalid value" error, no hint about --flag=VALUE
    const r = await runCli(['mine', '--model', model, '--input', text, '--top-k', '-1']);
    assertOneCleanError(r, 'mine', 'mine --top-k -1');
    assert.match(r.stderr, /--top-k must be an integer from 1 to 1000000, got "-1"\./);
    assert.doesNotMatch(r.stderr, /ambiguous|needs a value|=VALUE/);
    // written --top-k=-1: the same error
    const eq = await runCli(['mine', '--model', model, '--input', text, '--top-k=-1']);
    assertOneCleanError(eq, 'mine', 'mine --top-k=-1');
    assert.equal(eq.stderr, r.stderr);
  });

  test('a valid negative number, or free text, just works', async () => {
    // a negative number that is valid (--threshold takes -1 to 1), and free text starting with "-", just work
    const t = await runCli(['mine', '--model', model, '--input', text, '--threshold', '-0.5', '--json']);
    assert.equal(t.code, 0, t.stderr);
    const q = await runCli(['search', '--model', model, '--corpus', text, '--query', '-hello', '--json']);
    assert.equal(q.code, 0, q.stderr);
    assert.equal((JSON.parse(q.stdout) as Array<{ query: string }>)[0]!.query, '-hello');
  });

  test('a missing value is a plain error naming the option and what came instead', async () => {
    // no value: the option is named, and what came instead
    const missing: Array<[string[], RegExp]> = [
      [
        ['--top-k', '--json'],
        /--top-k needs a value, but the argument after it is the option --json\. See static-embed mine --help\./,
      ],
      [['--top-k'], /--top-k needs a value, but nothing follows it\./],
      // not an option of mine: perhaps a value that starts with "--", which goes as --flag=VALUE
      [
        ['--top-k', '--jsn'],
        /--top-k needs a value, but the argument after it, "--jsn", starts with "--" \(a value that does is written --top-k=VALUE\)/,
      ],
    ];
    for (const [extra, message] of missing) {
      const m = await runCli(['mine', '--model', model, '--input', text, ...extra]);
      assertOneCleanError(m, 'mine', `mine ${extra.join(' ')}`);
      assert.match(m.stderr, message);
    }
  });

  test('a text starting with "-" is told to go after "--"', async () => {
    // a positional text starting with "-" (parseArgs reads one-letter options, which static-embed has none of): say so
    const p = await runCli(['similarity', '--model', model, 'hello', '-5 degrees']);
    assertOneCleanError(p, 'similarity', 'similarity hello "-5 degrees"');
    assert.match(p.stderr, /unknown option -5 .*no one-letter options\. A text that starts with "-" goes after "--"/);
    assert.doesNotMatch(p.stderr, /Did you mean/);
    const ok = await runCli(['similarity', '--model', model, '--', 'hello', '-5 degrees']);
    assert.equal(ok.code, 0, ok.stderr);
  });
});

test('eval without datasets says which public datasets to get and where to put them', async () => {
  const r = await runCli(['eval', '--model', model, '--quick'], undefined, { STATIC_EMBED_EVAL_DATA: '' });
  assertOneCleanError(r, 'eval', 'eval without --data');
  for (const s of [
    'stsb-multi-mt/',
    'tatoeba/',
    'pawsx/',
    'xnli/',
    'multilingual-sentiment/',
    'https://github.com/PhilipMay/stsb-multi-mt',
    'STATIC_EMBED_EVAL_DATA',
  ])
    assert.ok(r.stderr.includes(s), s);
  // a task named by itself (the cross-lingual STSb) lists the dataset it needs
  const x = await runCli(['eval', '--model', model, '--tasks', 'STSbCrossLingual'], undefined, {
    STATIC_EMBED_EVAL_DATA: '',
  });
  assertOneCleanError(x, 'eval', 'eval --tasks STSbCrossLingual without --data');
  assert.ok(x.stderr.includes('stsb-multi-mt/data/stsb-'), x.stderr);
});

test('did-you-mean picks the nearest flag within a small edit distance', () => {
  assert.equal(editDistance('inptu', 'input'), 2);
  assert.equal(closest('inptu', ['input', 'output', 'model']), 'input');
  assert.equal(closest('batchsize', ['batch-size', 'workers']), 'batch-size');
  assert.equal(closest('zzzzzz', ['input', 'model']), undefined);
});
