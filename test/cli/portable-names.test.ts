/**
 * What static-embed writes about a model names it without this machine's paths, by one rule (modelIdentity): eval's
 * MTEB result files and report, classify's saved classifier (and predict finding its model again), serve's name of
 * the embedded model.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { portableCommand } from '../../src/cli/commands/eval.js';
import { modelIdentity, modelSourceName, portableModelName } from '../../src/cli/model-arg.js';
import { DEFAULT_MODEL_PATH, defaultModelId } from '../../src/runtime/node/default-model.js';
import { CARD_TITLE } from '../../src/transform/save.js';
import { runCli } from '../helpers/cli.js';
import { MockHub } from '../helpers/mock-hub.js';
import { mtebResultKeys } from '../helpers/mteb.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const dir = mkdtempSync(join(tmpdir(), 'se-portable-'));
const hub = new MockHub();
before(async () => {
  await hub.start();
  hub.repos.set('org/tiny', { commit: 'a'.repeat(40), files: tinyModelFiles() });
});
after(async () => {
  await hub.stop();
});
const hubEnv = () => ({ HF_ENDPOINT: hub.url, HF_HUB_CACHE: join(dir, 'hf-cache') });

/** A tiny model folder, with this card (none when undefined). */
function folder(name: string, card?: string): string {
  const d = join(dir, name);
  for (const [p, b] of Object.entries(tinyModelFiles())) {
    mkdirSync(dirname(join(d, p)), { recursive: true });
    writeFileSync(join(d, p), b);
  }
  if (card !== undefined) writeFileSync(join(d, 'README.md'), card);
  return d;
}

const plain = folder('plain-folder');
const withId = folder('folder-of-an-id', '---\nlicense: mit\n---\n\n# my-org/tiny-4d\n\nA tiny model.\n');
const withSentence = folder('sentence-card', '# A tiny model for tests\n');
const copy = folder('a-copy', `# ${CARD_TITLE}\n\n- Source: org/tiny\n`);

/** classify predict on two texts, with more arguments. */
const predict = (clf: string, more: string[] = [], env?: Record<string, string>) =>
  runCli(['classify', 'predict', '--classifier', clf, '--input', '-', ...more], 'hello\ngood day\n', env);

/** Every file under `d`, as text. */
function allText(d: string): string {
  return readdirSync(d, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe('model names', () => {
  const card = readFileSync(join(DEFAULT_MODEL_PATH, 'README.md'), 'utf8');
  const id = /^# (.+)$/m.exec(card)![1]!;

  test('modelIdentity: one rule (embedded id, Hub id as given, card id or folder name)', () => {
    assert.equal(defaultModelId(), id);
    assert.equal(id, 'static-embed-default-v2');
    assert.deepEqual(modelIdentity(DEFAULT_MODEL_PATH), { kind: 'embedded', id, folder: 'default' });
    assert.equal(portableModelName('static-embed-default'), id);
    assert.equal(portableModelName('org/tiny'), 'org/tiny');
    assert.equal(portableModelName(plain), 'plain-folder');
    assert.equal(portableModelName(withId), 'my-org/tiny-4d');
    assert.equal(portableModelName(withSentence), 'sentence-card', 'a title that is a sentence is no model id');
    assert.equal(portableModelName(copy), 'a-copy', "static-embed's own card title names no model");
  });

  test('the cards convert and train write keep their wording', () => {
    // the cards convert and train write keep their wording (built on the same identity)
    assert.equal(modelSourceName('static-embed-default'), `${id} (the embedded default model of static-embed)`);
    assert.equal(modelSourceName('org/tiny'), 'org/tiny');
    assert.equal(modelSourceName(plain), 'local folder "plain-folder"');
    assert.equal(modelSourceName(withId), 'my-org/tiny-4d (local folder "folder-of-an-id")');
    assert.equal(modelSourceName(withSentence), 'A tiny model for tests (local folder "sentence-card")');
    assert.equal(modelSourceName(copy), 'local folder "a-copy" (a static-embed copy of org/tiny)');
  });
});

test("eval names the model without this machine's paths (MTEB JSON, report, command)", async () => {
  const pairs = join(dir, 'pairs.tsv');
  writeFileSync(pairs, 'text1\ttext2\tscore\nhello world\thello\t4\ngood day\tworld\t1\nhello hello\tgood\t2\n');
  const noData = { STATIC_EMBED_EVAL_DATA: undefined } as unknown as Record<string, string>;
  const cases: Array<[string, string[], string, Record<string, string>]> = [
    ['embedded (no --model)', [], defaultModelId(), noData],
    ['static-embed-default', ['--model', 'static-embed-default'], defaultModelId(), noData],
    ['folder with a card id', ['--model', withId], 'my-org/tiny-4d', noData],
    ['folder without a card', [`--model=${plain}`], 'plain-folder', noData],
    ['Hub id', ['--model', 'org/tiny'], 'org/tiny', { ...noData, ...hubEnv() }],
  ];
  for (const [what, model, name, env] of cases) {
    const out = join(dir, `eval-${name.replace(/\W/g, '_')}`);
    const r = await runCli(['eval', ...model, '--file', pairs, '--out', out, '--quiet'], undefined, env);
    assert.equal(r.code, 0, `${what}: ${r.stderr}`);
    const dimDir = readdirSync(out).find((f) => f.startsWith('dim-'))!;
    // the task of a --file is named by its base name
    const json = JSON.parse(readFileSync(join(out, dimDir, 'custom_pairs.tsv.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    assert.equal(json.task_name, 'custom:pairs.tsv');
    // MTEB's layout: the same fields in the same order; model_name is a model name as MTEB's ModelMeta.name
    assert.deepEqual(Object.keys(json), mtebResultKeys(false));
    assert.equal(json.model_name, name, what);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    assert.match(md, new RegExp(`^# Evaluation of ${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'), what);
    // the printed report (the last line says where the files went, as the user gave --out)
    const printed = r.stdout.slice(0, r.stdout.lastIndexOf('\n1 result file'));
    assert.match(printed, /^# Evaluation of /);
    for (const text of [allText(out), printed]) {
      assert.ok(!text.includes(dir), `${what}: no path of this machine`);
      assert.ok(!text.includes(DEFAULT_MODEL_PATH), `${what}: not the embedded model's path`);
    }
    assert.match(
      md,
      new RegExp(`^Command: \`static-embed eval .*--file pairs\\.tsv --out ${out.split('/').pop()!}`, 'm'),
    );
  }
});

test('eval --file names tasks by base name, two files of one name stay two tasks', async () => {
  const rows = 'text1\ttext2\tscore\nhello world\thello\t4\ngood day\tworld\t1\nhello hello\tgood\t2\n';
  const files = ['one', 'two'].map((d) => {
    mkdirSync(join(dir, d), { recursive: true });
    writeFileSync(join(dir, d, 'dev.tsv'), rows);
    return join(dir, d, 'dev.tsv');
  });
  const out = join(dir, 'eval-two');
  const noData = { STATIC_EMBED_EVAL_DATA: undefined } as unknown as Record<string, string>;
  const r = await runCli(
    ['eval', '--model', plain, ...files.flatMap((f) => ['--file', f]), '--out', out],
    undefined,
    noData,
  );
  assert.equal(r.code, 0, r.stderr);
  const tasks = readdirSync(join(out, 'dim-4'))
    .map((f) => (JSON.parse(readFileSync(join(out, 'dim-4', f), 'utf8')) as { task_name: string }).task_name)
    .sort();
  assert.deepEqual(tasks, ['custom:dev.tsv', 'custom:dev.tsv (2)']);
});

test('portableCommand: --model by name, paths by base name, other values as typed', () => {
  assert.equal(
    portableCommand(
      ['eval', '--model=/home/me/m', '--data', '/srv/eval', '--file', '/x/my pairs.tsv', '--dims', '8,16', '--quick'],
      'm',
    ),
    'static-embed eval --model m --data eval --file "my pairs.tsv" --dims 8,16 --quick',
  );
  assert.equal(portableCommand(['eval', '--out'], 'm'), 'static-embed eval --out');
});

describe('classify records a portable model name', () => {
  const data = join(dir, 'train.csv');
  writeFileSync(data, 'text,label\nhello world,a\ngood day,b\nhello hello,a\ngood good day,b\n');
  const read = (f: string) => JSON.parse(readFileSync(f, 'utf8')) as { dim: number; meta: Record<string, unknown> };
  const clf = join(dir, 'default.json');

  test('the embedded model: recorded by its id, found again by predict', async () => {
    // the embedded model, omitted at training and at prediction
    const tr = await runCli(['classify', 'train', '--data', data, '--out', clf, '--dim', '64']);
    assert.equal(tr.code, 0, tr.stderr);
    const text = readFileSync(clf, 'utf8');
    assert.ok(!text.includes(dir) && !text.includes(DEFAULT_MODEL_PATH), 'no path of this machine');
    assert.equal(typeof read(clf).meta.normalize, 'boolean');
    assert.deepEqual(read(clf).meta, {
      model: defaultModelId(),
      modelSource: 'embedded',
      dim: 64,
      normalize: read(clf).meta.normalize,
      trainedOn: 'train.csv',
      examples: 4,
    });
    const omitted = await predict(clf, ['--json']);
    assert.equal(omitted.code, 0, omitted.stderr);
    const named = await predict(clf, ['--json', '--model', 'static-embed-default', '--dim', '64']);
    assert.equal(named.code, 0, named.stderr);
    assert.equal(omitted.stdout, named.stdout, 'the recorded model and --dim, as if given');
    assert.equal(named.stderr, '', 'the recorded model: no note');
  });

  test("another version's embedded model is a typed error naming both", async () => {
    // another static-embed's embedded model: a typed error naming both, not another model's embeddings
    const old = join(dir, 'old-default.json');
    const j = read(clf);
    writeFileSync(old, JSON.stringify({ ...j, meta: { ...j.meta, model: 'static-embed-default-v1' } }));
    const e1 = await predict(old);
    assert.equal(e1.code, 2, e1.stderr);
    assert.match(
      e1.stderr,
      new RegExp(
        'error \\[NOT_FOUND\\]: .*old-default\\.json was trained on static-embed-default-v1, the embedded default model of ' +
          `another static-embed version; this version embeds ${defaultModelId()}.*give --model`,
      ),
    );
  });

  test('a Hub id: recorded as given, loaded again by it', async () => {
    // a Hub id: recorded as given, loaded again by it
    const hubClf = join(dir, 'hub.json');
    const th = await runCli(
      ['classify', 'train', '--model', 'org/tiny', '--data', data, '--out', hubClf],
      undefined,
      hubEnv(),
    );
    assert.equal(th.code, 0, th.stderr);
    assert.deepEqual([read(hubClf).meta.model, read(hubClf).meta.modelSource], ['org/tiny', 'hub']);
    const ph = await predict(hubClf, [], hubEnv());
    assert.equal(ph.code, 0, ph.stderr);
    assert.equal(ph.stdout.trim().split('\n').length, 2);
  });
});

describe('classify with a local folder', () => {
  const data = join(dir, 'train-local.tsv');
  writeFileSync(data, 'text\tlabel\nhello world\ta\ngood day\tb\nhello hello\ta\ngood good day\tb\n');
  const clf = join(dir, 'local.json');

  test('records it by its name, without its path', async () => {
    const tr = await runCli(['classify', 'train', '--model', withId, '--data', data, '--out', clf, '--no-normalize']);
    assert.equal(tr.code, 0, tr.stderr);
    const text = readFileSync(clf, 'utf8');
    assert.ok(!text.includes(dir), 'no path of this machine');
    const meta = (JSON.parse(text) as { meta: Record<string, unknown> }).meta;
    assert.deepEqual(
      [meta.model, meta.modelSource, meta.modelFolder, meta.trainedOn],
      ['my-org/tiny-4d', 'local', 'folder-of-an-id', 'train-local.tsv'],
    );
  });

  test('predict asks for --model PATH, and takes it', async () => {
    const e = await predict(clf);
    assert.equal(e.code, 2, e.stderr);
    assert.match(
      e.stderr,
      new RegExp(
        'error \\[NOT_FOUND\\]: .*local\\.json was trained on the local model "my-org/tiny-4d" \\(folder "folder-of-an-id"\\), ' +
          'and a classifier records no paths of the machine that trained it; give --model PATH to that model folder\\.',
      ),
    );
    assert.doesNotMatch(e.stderr, /\n\s+at /, 'no stack trace');
    const ok = await predict(clf, ['--model', withId]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stderr, '');
  });

  test('the recorded --dim and normalization apply when not given again', async () => {
    // the recorded --dim and normalization apply to the recorded model when not given again
    const dim2 = join(dir, 'local-dim2.json');
    const t2 = await runCli(['classify', 'train', '--model', withId, '--data', data, '--out', dim2, '--dim', '2']);
    assert.equal(t2.code, 0, t2.stderr);
    const p2 = await predict(dim2, ['--model', withId]);
    assert.equal(p2.code, 0, p2.stderr);
  });

  test('another folder is used as asked, with the recorded options and a note', async () => {
    // another folder than the recorded one is used as asked, with the recorded options and a note
    const other = await predict(clf, ['--model', plain]);
    assert.equal(other.code, 0, other.stderr);
    assert.match(
      other.stderr,
      new RegExp(
        '^note: .*local\\.json was trained on "my-org/tiny-4d"; labelling with "plain-folder" \\(--model\\), with the ' +
          'recorded --dim 4, --no-normalize \\(give them to change them\\)\\.\n$',
      ),
    );
  });

  test('an older classifier uses its recorded path while it exists, else a typed error', async () => {
    const text = readFileSync(clf, 'utf8');
    // a classifier written before portable names: its recorded path is used while it exists, else a typed error
    const legacy = join(dir, 'legacy.json');
    const j = JSON.parse(text) as { meta: Record<string, unknown> };
    writeFileSync(legacy, JSON.stringify({ ...j, meta: { model: plain, dim: 4 } }));
    const l1 = await predict(legacy);
    assert.equal(l1.code, 0, l1.stderr);
    writeFileSync(legacy, JSON.stringify({ ...j, meta: { model: join(dir, 'gone'), dim: 4 } }));
    const l2 = await predict(legacy);
    assert.equal(l2.code, 2);
    assert.match(
      l2.stderr,
      /error \[NOT_FOUND\]: .*legacy\.json was trained on the model at .*gone, which is missing; give --model/,
    );
  });
});
