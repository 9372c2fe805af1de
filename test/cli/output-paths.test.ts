/**
 * Output paths (--out, --output, --db) as a new user gets them wrong, through the real CLI: a path under a file, under
 * /proc or /sys (where Node 20's recursive mkdir never returns), an existing file where a folder goes, a folder where a
 * file goes, a missing parent folder. Each is one IO_ERROR line naming the option, the path and the fix, exit 2,
 * before the model loads or anything is computed, and nothing is left behind. Also: eval --out replaces a previous
 * run's results cleanly and refuses a folder of other files; the CLI without arguments is a usage error (exit 2).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticEmbedError } from '../../src/errors.js';
import { checkOutputFile, checkOutputFolder, makeOutputFolder } from '../../src/cli/io/output-path.js';
import { fromSystemError } from '../../src/cli/cli-errors.js';
import { makeFolder } from '../../src/runtime/node/make-folder.js';
import { saveModel } from '../../src/runtime/node/fs.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { writeTinyModelFolder } from '../helpers/tiny-folder.js';

const dir = mkdtempSync(join(tmpdir(), 'se-outpaths-'));
const model = writeTinyModelFolder(join(dir, 'tiny'));
const file = join(dir, 'a-file.txt');
writeFileSync(file, 'hello world\ngood bye\n');
const pairs = join(dir, 'pairs.csv');
writeFileSync(pairs, 'text1,text2,score\nhello world,hello there,1\ngood bye,see you,0.5\nred car,blue sky,0\n');
const labelled = join(dir, 'labelled.csv');
writeFileSync(labelled, 'text,label\nhello world,a\ngood bye,b\nhello there,a\nsee you,b\n');
const folder = join(dir, 'a-folder');
mkdirSync(folder);
/** A model that does not exist: a command that gets to load it fails with NOT_FOUND, so an output error proves the
 * output was checked first. */
const noModel = join(dir, 'no-such-model');

function assertIoError(r: CliResult, command: string, option: string, path: string, problem: RegExp): void {
  const what = `static-embed ${command} ${option} ${path}`;
  assert.equal(r.code, 2, `${what}: exit ${r.code}\n${r.stderr}`);
  assert.equal(r.stdout, '', what);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, `${what}: one line\n${r.stderr}`);
  assert.ok(lines[0]!.startsWith(`static-embed ${command}: error [IO_ERROR]: ${option} ${path}`), r.stderr);
  assert.match(lines[0]!, problem, what);
  // the fix, and not the wording of an input ("readable file"), nor a raw Node or Rust message
  assert.match(lines[0]!, /\. (Give|Choose|Create) /, what);
  assert.doesNotMatch(r.stderr, /readable file|internal error|, open '|os error|\n\s+at /, what);
}

const UNDER_FILE = join(file, 'sub', 'x');
const UNDER_PROC = '/proc/static-embed-nope/x';
const UNDER_SYS = '/sys/static-embed-nope/x';

test(
  'every output folder under a file, /proc or /sys, or a file: IO_ERROR at once',
  {
    timeout: 120_000,
  },
  async () => {
    const folderCommands: Array<[string, (out: string) => string[], string]> = [
      ['convert', (out) => ['convert', '--model', noModel, '--out', out], '--out'],
      ['eval', (out) => ['eval', '--model', noModel, '--file', pairs, '--out', out], '--out'],
      ['train', (out) => ['train', '--data', pairs, '--out', out, '--init', noModel], '--out'],
      ['index', (out) => ['index', 'build', '--model', noModel, '--input', file, '--db', out], '--db'],
    ];
    for (const [command, argv, option] of folderCommands) {
      const cases: Array<[string, RegExp]> = [
        [
          UNDER_FILE,
          /: .*a-file\.txt is a file, not a folder, so nothing can be created under it\. Choose another path/,
        ],
        [UNDER_PROC, /: cannot create the folder \/proc\/static-embed-nope \(ENOENT: /],
        [UNDER_SYS, /: cannot create the folder \/sys\/static-embed-nope \(E[A-Z]+: /],
        [file, / is a file, not a folder\. Give a new folder \(or an existing one\)/],
      ];
      for (const [out, problem] of cases) {
        // a hang (Node 20's recursive mkdir on /proc) fails the test by its timeout
        assertIoError(await runCli(argv(out)), command, option, out, problem);
      }
    }
    assert.ok(!existsSync('/proc/static-embed-nope'));
    assert.deepEqual(readFileSync(file, 'utf8'), 'hello world\ngood bye\n');
  },
);

test('index search / info: a --db that is a file is an IO_ERROR, not a LanceDB crash', async () => {
  for (const sub of [['search', '--query', 'hello'], ['info']]) {
    const r = await runCli(['index', sub[0]!, '--db', file, ...sub.slice(1)]);
    assertIoError(r, 'index', '--db', file, / is a file, not a LanceDB folder\. Give the folder of a store/);
  }
});

test(
  'every output file that is a folder or has no folder: IO_ERROR before loading',
  {
    timeout: 120_000,
  },
  async () => {
    const fileCommands: Array<[string, (out: string) => string[], string, string]> = [
      [
        'encode',
        (out) => ['encode', '--model', noModel, '--input', file, '--output', out],
        '--output',
        'embeddings.jsonl',
      ],
      ['tokenize', (out) => ['tokenize', '--input', file, '--output', out], '--output', 'ids.jsonl'],
      [
        'classify',
        (out) => ['classify', 'train', '--model', noModel, '--data', labelled, '--out', out],
        '--out',
        'classifier.json',
      ],
      ['train-tokenizer', (out) => ['train-tokenizer', '--input', file, '--out', out], '--out', 'tokenizer.json'],
    ];
    const missing = join(dir, 'no-such-folder', 'deeper');
    for (const [command, argv, option, example] of fileCommands) {
      assertIoError(
        await runCli(argv(folder)),
        command,
        option,
        folder,
        new RegExp(` is a folder, not a file\\. Give the path of a file for .*, e\\.g\\. ${folder}/${example}\\.$`),
      );
      const out = join(missing, 'out.json');
      assertIoError(
        await runCli(argv(out)),
        command,
        option,
        out,
        new RegExp(`: the folder ${missing} does not exist\\. Create it first \\(mkdir -p ${missing}\\)`),
      );
      assertIoError(await runCli(argv(UNDER_FILE)), command, option, UNDER_FILE, /a-file\.txt is a file, not a folder/);
    }
    assert.ok(!existsSync(join(dir, 'no-such-folder')));
  },
);

test('convert --vocab-quantize needs --layout model2vec (refused before loading)', async () => {
  const r = await runCli(['convert', '--model', noModel, '--vocab-quantize', '10', '--out', join(dir, 'vq')]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /^static-embed convert: error \[INVALID_ARGUMENT\]: --vocab-quantize .* only the model2vec layout holds /,
  );
  assert.match(r.stderr, /\(--layout is sentence-transformers\)\. Add --layout model2vec\.\n$/);
});

describe('eval --out', () => {
  const out = join(dir, 'eval-out');
  const evalInto = (folder: string, ...more: string[]) =>
    runCli(['eval', '--model', model, '--tasks', 'sts', '--file', pairs, '--out', folder, ...more]);
  const run = (...more: string[]) => evalInto(out, ...more);

  test('a previous result folder is replaced (no stale dimension)', { timeout: 120_000 }, async () => {
    const first = await run('--dims', '4');
    assert.equal(first.code, 0, first.stderr);
    assert.doesNotMatch(first.stdout, /Replaced/);
    assert.deepEqual(readdirSync(out).sort(), ['chart.svg', 'dim-4', 'report.html', 'report.md']);
    // the second run with other dimensions: the results of the first are gone, a note says so
    const second = await run('--dims', '2,3');
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, new RegExp(`\\nReplaced the results of a previous eval in ${out}\\.\\n$`));
    assert.deepEqual(readdirSync(out).sort(), ['chart.svg', 'dim-2', 'dim-3', 'report.html', 'report.md']);
  });

  test('a failed run leaves the previous results as they were', { timeout: 120_000 }, async () => {
    // a failed run leaves the previous results as they were
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    const failed = await run('--dims', '999');
    assert.equal(failed.code, 2, failed.stderr);
    assert.equal(readFileSync(join(out, 'report.md'), 'utf8'), report);
  });

  test('a folder with other files is refused before any work, and left as it was', async () => {
    // a folder with other files (here a model folder) is refused before any work, and left as it was
    const before = readdirSync(model).sort();
    const refused = await runCli(['eval', '--model', noModel, '--file', pairs, '--out', model]);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(
        `^static-embed eval: error \\[INVALID_ARGUMENT\\]: --out ${model} is not empty and holds files ` +
          `static-embed eval did not write \\(.*modules\\.json.*\\): .*Choose another --out folder .* or pass --overwrite`,
      ),
    );
    assert.deepEqual(readdirSync(model).sort(), before);
  });

  test('--overwrite replaces the eval results and keeps the other files', { timeout: 120_000 }, async () => {
    // --overwrite: the eval results are replaced, the other files stay
    const mixed = join(dir, 'mixed');
    mkdirSync(join(mixed, 'dim-3'), { recursive: true });
    writeFileSync(join(mixed, 'dim-3', 'Old.json'), '{}');
    writeFileSync(join(mixed, 'notes.txt'), 'mine');
    const kept = await evalInto(mixed, '--dims', '4', '--overwrite');
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /Replaced the eval results in .*\(--overwrite\); its other files were left alone\./);
    assert.deepEqual(readdirSync(mixed).sort(), ['chart.svg', 'dim-4', 'notes.txt', 'report.html', 'report.md']);
  });
});

describe('the help', () => {
  test('without arguments: on stderr, nothing on stdout, exit 2', async () => {
    const none = await runCli([]);
    assert.equal(none.code, 2);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /^static-embed — .*\n\nCommands:\n {2}encode /);
    assert.match(none.stderr, /Run "static-embed <command> --help" for its options\.\n$/);
  });

  test('--help: the same help on stdout, exit 0', async () => {
    const none = await runCli([]);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.equal(help.stdout, none.stderr);
    assert.equal(help.stderr, '');
  });
});

describe('output checks', () => {
  const spec = { option: '--out', what: 'the test' };
  const deep = join(dir, 'made', 'a', 'b');

  test('checkOutputFolder leaves nothing behind', () => {
    checkOutputFolder(deep, spec);
    assert.ok(!existsSync(join(dir, 'made')), 'the probe folder is removed');
  });

  test('makeOutputFolder creates the missing folders, not under a file', () => {
    makeOutputFolder(deep, spec);
    assert.ok(existsSync(deep));
    makeOutputFolder(deep, spec); // an existing folder is fine
    assert.throws(
      () => makeOutputFolder(join(file, 'x'), spec),
      (e: unknown) =>
        e instanceof StaticEmbedError && e.code === 'IO_ERROR' && /is a file, not a folder/.test(e.message),
    );
  });

  test('checkOutputFile accepts a file in an existing folder, and "-"', () => {
    checkOutputFile(join(deep, 'x.json'), { ...spec, example: 'x.json' });
    checkOutputFile('-', { ...spec, example: 'x.json' });
  });
});

test('a failed write reads as one (its folder, writable), not as an unreadable input', () => {
  const cause = Object.assign(new Error("EACCES: permission denied, mkdir '/x/y'"), {
    code: 'EACCES',
    syscall: 'mkdir',
    path: '/x/y',
  });
  const e = fromSystemError(cause)!;
  assert.equal(e.code, 'IO_ERROR');
  assert.match(
    e.message,
    /^Cannot access \/x\/y: permission denied \(EACCES\)\. Check that its folder exists and that you can write to it/,
  );
  const read = fromSystemError(
    Object.assign(new Error('ENOENT'), { code: 'ENOENT', syscall: 'open', path: '/in.txt' }),
  )!;
  assert.match(read.message, /names a readable file/);
});

test('makeFolder avoids recursive mkdir: saveModel under /proc fails at once (no hang)', () => {
  assert.throws(
    () => makeFolder('/proc/static-embed-nope/x'),
    (e: NodeJS.ErrnoException) => e.code === 'ENOENT' && e.path === '/proc/static-embed-nope',
  );
  assert.throws(
    () => makeFolder(join(file, 'x')),
    (e: NodeJS.ErrnoException) => e.code === 'ENOTDIR',
  );
  const tiny = loadModelFolder(model);
  assert.throws(
    () => saveModel(tiny, '/proc/static-embed-nope/model'),
    (e: NodeJS.ErrnoException) => e.code === 'ENOENT',
  );
  const deep = join(dir, 'saved', 'a', 'b');
  saveModel(tiny, deep);
  assert.ok(existsSync(join(deep, 'modules.json')));
  makeFolder(deep); // an existing folder is fine
});
