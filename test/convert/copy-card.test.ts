/**
 * The card of a copy tells the truth: its tags name only the libraries that load it, dtypes are written one way, the
 * static-embed version that wrote it is named, a copy of a copy (also a folder converted into itself) keeps the
 * original source and the whole chain, model2vec's other tokenization and a changed static-embed profile are said —
 * and scripts/check-convert.py explains model2vec's differences text by text instead of implying equality.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticModel, modelFiles, type SaveDtype, type SaveLayout } from '../../src/index.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { DEFAULT_MODEL_PATH } from '../../src/runtime/node/default-model.js';
import { copyHistory, libraryName } from '../../src/transform/save.js';
import { loaders } from '../../src/transform/model-card.js';
import { STATIC_EMBED_VERSION } from '../../src/version.js';
import { runCli } from '../helpers/cli.js';
import { gate, repoFile, sharedFile } from '../helpers/shared.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const tiny = () => StaticModel.fromBytes(new Map(Object.entries(tinyModelFiles())));
const cardOf = (files: Map<string, Uint8Array>) => new TextDecoder().decode(files.get('README.md'));
const card = (dir: string) => readFileSync(join(dir, 'README.md'), 'utf8');

test('the version a card names is the package version', () => {
  const pkg = JSON.parse(readFileSync(repoFile('package.json'), 'utf8')) as { version: string };
  assert.equal(STATIC_EMBED_VERSION, pkg.version);
  assert.match(cardOf(modelFiles(tiny())), new RegExp(`^Written by static-embed ${pkg.version} in the `, 'm'));
});

describe('the card of a copy in every layout and dtype', () => {
  const model = tiny();
  const copies = (['sentence-transformers', 'model2vec'] as SaveLayout[]).flatMap((layout) =>
    (['float32', 'float16', 'bfloat16', 'int8'] as SaveDtype[]).map((dtype) => ({ layout, dtype })),
  );

  test('tags name only the libraries that load the copy', () => {
    for (const { layout, dtype } of copies) {
      const text = cardOf(modelFiles(model, { layout, dtype }));
      const tags = /^tags: \[(.*)\]$/m.exec(text)![1]!.split(', ');
      const readers = loaders(layout, dtype);
      assert.deepEqual(tags, ['static-embeddings', ...readers.slice(1)], `${layout} ${dtype}`);
      assert.equal(readers[0], 'static-embed');
      if (libraryName(layout, dtype) !== 'static-embed') assert.ok(readers.includes(libraryName(layout, dtype)));
      if (dtype === 'int8')
        assert.deepEqual(tags, ['static-embeddings'], 'neither sentence-transformers nor model2vec loads int8');
    }
  });

  test('dtypes are written one way', () => {
    for (const { layout, dtype } of copies) {
      const text = cardOf(modelFiles(model, { layout, dtype }));
      if (dtype === 'int8') {
        assert.match(text, /^- This table: 8 × 4, int8 with one float32 scale per row$/m);
      } else assert.match(text, new RegExp(`^- This table: 8 × 4, ${dtype}$`, 'm'));
      // the source's dtype in the same words (never safetensors codes such as F32, F16 or I8+scales)
      assert.match(text, /^- Source table: 8 × 4, float32$/m);
      assert.doesNotMatch(text, /\b(F32|F16|BF16|I8)\b/);
    }
    // a source read from an int8 file
    const int8 = StaticModel.fromBytes(modelFiles(model, { dtype: 'int8' }));
    assert.match(cardOf(modelFiles(int8)), /^- Source table: 8 × 4, int8 with one float32 scale per row$/m);
  });
});

test("a sentence-transformers copy's card: model2vec loads it with other tokenization", () => {
  const text = cardOf(modelFiles(tiny(), { dtype: 'float16' }));
  assert.match(
    text,
    /^- Loads in: static-embed, sentence-transformers, model2vec \(its own tokenization: see below\)$/m,
  );
  assert.match(text, /drops the unknown token \(\[UNK\]\) and\s+keeps only the first 512 tokens of a text/);
  assert.match(text, /texts with an unknown token or with more than 512 tokens get different embeddings in model2vec/);
  assert.match(text, /--profile model2vec/);
  // model2vec reads config_sentence_transformers.json as its config: it normalizes when the Normalize module does
  for (const normalize of [true, false]) {
    const files = modelFiles(tiny(), { normalize });
    const config = JSON.parse(new TextDecoder().decode(files.get('config_sentence_transformers.json'))) as {
      normalize: boolean;
    };
    assert.equal(config.normalize, normalize);
    assert.equal(StaticModel.fromBytes(files).normalize, normalize);
  }
  // a model2vec copy of a model2vec-profile model: nothing to warn about
  const m2v = StaticModel.fromBytes(new Map(Object.entries(tinyModelFiles('model2vec'))));
  assert.doesNotMatch(cardOf(modelFiles(m2v, { layout: 'model2vec' })), /## Tokenization/);
});

test('convert --layout model2vec: static-embed reads it with the model2vec profile', async () => {
  const root = mkdtempSync(join(tmpdir(), 'se-card-'));
  const out = join(root, 'm2v');
  const r = await runCli(['convert', '--dim', '32', '--layout', 'model2vec', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const note = new RegExp(
    'static-embed reads this model2vec-layout copy with the model2vec profile, while the model it was converted ' +
      'from was read with the sentence-transformers profile',
  );
  assert.match(r.stderr, note);
  assert.match(r.stderr, /--profile sentence-transformers/);
  assert.match(card(out).replace(/\s+/g, ' '), note);
  // what it says: a text with an unknown token embeds differently, and --profile sentence-transformers gives it back
  const texts = ['🦄 hello world', 'hello world'];
  const source = loadModelFolder(DEFAULT_MODEL_PATH, { truncateDim: 32 }).encode(texts);
  const copy = loadModelFolder(out),
    restored = loadModelFolder(out, { profile: 'sentence-transformers' });
  assert.equal(copy.info().profile, 'model2vec');
  const a = copy.encode(texts),
    b = restored.encode(texts);
  assert.notDeepEqual([...a.row(0)], [...source.row(0)], 'the unknown token is dropped');
  assert.deepEqual([...a.row(1)], [...source.row(1)]);
  assert.deepEqual([...b.row(0)], [...source.row(0)]);
  // a sentence-transformers copy of the same model: no note
  const st = await runCli(['convert', '--dim', '32', '--out', join(root, 'st')]);
  assert.equal(st.code, 0, st.stderr);
  assert.doesNotMatch(st.stderr, /profile/);
});

test('a copy of a copy (or of itself) keeps the original source and the whole chain', async () => {
  const root = mkdtempSync(join(tmpdir(), 'se-chain-'));
  const a = join(root, 'a');
  assert.equal((await runCli(['convert', '--dim', '64', '--dtype', 'float16', '--out', a])).code, 0);
  const first = copyHistory(card(a))!;
  assert.match(first.source, /^static-embed-default-v2 \(the embedded default model of static-embed\)$/);
  const r = await runCli(['convert', '--model', a, '--out', a, '--overwrite', '--dtype', 'int8']);
  assert.equal(r.code, 0, r.stderr);
  const text = card(a);
  assert.match(text, /^- Source: static-embed-default-v2 \(the embedded default model of static-embed\)$/m);
  assert.doesNotMatch(text, /local folder "a"/, 'the folder does not name itself');
  assert.match(text, /^- Source table: 88,000 × 256, int8 with one float32 scale per row$/m);
  assert.match(text, /^- This table: 88,000 × 64, int8 with one float32 scale per row$/m);
  assert.deepEqual(copyHistory(text)!.transformations, [
    'kept the first 64 of 256 dimensions (Matryoshka truncation)',
    'stored the table as float16',
    'stored the table as int8 with one float32 scale per row',
  ]);
  // and into another folder, once more: the same original source
  const b = join(root, 'b');
  assert.equal((await runCli(['convert', '--model', a, '--out', b, '--dim', '32'])).code, 0);
  assert.equal(copyHistory(card(b))!.source, first.source);
  assert.equal(copyHistory(card(b))!.transformations.length, 5);
  assert.equal(copyHistory('# org/model\n\n- Source: x\n'), undefined, 'only the cards static-embed writes');
});

test('check-convert.py explains model2vec differences (unknown tokens, 512 cap)', async (t) => {
  const py = join(process.env.STATIC_EMBED_PYTHON_VENV ?? '/tmp/static-embed-ref', 'bin', 'python');
  if (!existsSync(py)) {
    gate(t, `needs the Python reference venv (${py}; bash .ci/run builds it)`, 'STATIC_EMBED_REQUIRE_SHARED');
    return;
  }
  // a real tokenizer (mBERT, [UNK]) that Python's tokenizers reads; its copy as static-embed writes it
  const src = sharedFile(t, 'fixtures/synthetic-mbert-16d/st-16d-fp16');
  if (!src) return;
  const root = mkdtempSync(join(tmpdir(), 'se-check-'));
  const texts = join(root, 'texts.txt');
  writeFileSync(
    texts,
    ['hello world', 'good day!', '🦄 hello', ('hello '.repeat(300) + 'world '.repeat(300)).trim()].join('\n') + '\n',
  );
  // a float16 copy, and a normalized one (model2vec normalizes it too: the config says so)
  const args: string[] = [];
  for (const [name, extra] of [
    ['copy', []],
    ['normalized', ['--normalize']],
  ] as const) {
    const copy = join(root, name);
    const c = await runCli(['convert', '--model', src, '--out', copy, '--dtype', 'float16', ...extra]);
    assert.equal(c.code, 0, c.stderr);
    const ours = join(root, `${name}.npy`),
      oursM2v = join(root, `${name}-m2v.npy`);
    assert.equal((await runCli(['encode', '--model', copy, '--input', texts, '--output', ours])).code, 0);
    const m2v = ['encode', '--model', copy, '--profile', 'model2vec', '--input', texts, '--output', oursM2v];
    assert.equal((await runCli(m2v)).code, 0);
    args.push(`${copy}=${ours},${oursM2v}`);
  }
  const r = spawnSync(py, [repoFile('scripts/check-convert.py'), texts, ...args], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  const count = (re: RegExp) => (r.stdout.match(new RegExp(re.source, 'gm')) ?? []).length;
  assert.equal(count(/sentence-transformers: 4 of 4 texts agree with static-embed/), 2, r.stdout);
  const explained =
    /1 with an unknown token \(model2vec drops it\), 1 with more than 512 tokens \(model2vec keeps the first 512\)/;
  assert.equal(count(explained), 2, r.stdout);
  // model2vec itself when this venv has it (it is not in the package mirror; the script then says what its rules change)
  if (/model2vec is not installed here/.test(r.stdout))
    assert.equal(count(/its tokenization rules would change 2 of 4 texts/), 2, r.stdout);
  else {
    assert.equal(
      count(/model2vec: 2 of 4 texts agree with static-embed \(.*; 2 differ by .*, 0 unexplained$/),
      2,
      r.stdout,
    );
    assert.equal(count(/model2vec: 4 of 4 texts agree with static-embed --profile model2vec/), 2, r.stdout);
  }
});
