/**
 * LanceDB (the real @lancedb/lancedb): `static-embed index build` of two files (the second appended), then a new
 * process reopens the table — row counts and a sample of vectors equal model.encode, and `table.search(text)`
 * embeds the query through the registered static-embed function; --resume adds nothing twice; search with
 * --where and --json; info; bad SQL is a clear error; --dim of another width than the table's is one too, and so is
 * --model of another model than the table's (build and search); --overwrite replaces a table; --db "db" is a folder;
 * a model that changed under the table's feet (an upgraded default model, a replaced folder) is refused too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Random } from '../../src/math/random.js';
import { loadDefaultModel } from '../../src/node.js';
import { REPO_ROOT, repoFile } from '../helpers/shared.js';
import { tinyModelFiles, tinyTable } from '../helpers/tiny-model.js';
import { f32Bytes, writeSafetensors } from '../../src/formats/safetensors-writer.js';
import { runCli } from '../helpers/cli.js';

const WORDS = 'cat dog river mountain market price song piano doctor bread coffee storm train ship garden window'.split(
  ' ',
);
function lines(n: number, seed: number): string[] {
  const rng = new Random(seed);
  return Array.from({ length: n }, (_, i) =>
    [`item${seed}-${i}`, ...Array.from({ length: 4 + rng.int(4) }, () => WORDS[rng.int(WORDS.length)]!)].join(' '),
  );
}

/** Writes files (path → bytes) into a folder, making subfolders. */
function writeFiles(folder: string, files: Record<string, Uint8Array>): void {
  for (const [p, b] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, p)), { recursive: true });
    writeFileSync(join(folder, p), b);
  }
}

test('index build / append / resume / reopen in a new process / search / info', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-lance-'));
  try {
    const db = join(dir, 'db');
    const a = lines(300, 1),
      b = lines(200, 2);
    writeFileSync(join(dir, 'a.txt'), a.join('\n') + '\n');
    writeFileSync(join(dir, 'b.txt'), b.join('\n') + '\n\n');
    const build = (file: string, ...extra: string[]) =>
      runCli(['index', 'build', '--input', join(dir, file), '--db', db, '--quiet', '--json', ...extra]);
    let r = await build('a.txt');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { added: 300, skipped: 0, rows: 300, ann_index: false });
    r = await build('b.txt', '--ann-min-rows', '400');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { added: 200, skipped: 0, rows: 500, ann_index: true });
    r = await build('a.txt', '--resume');
    assert.deepEqual(JSON.parse(r.stdout), { added: 0, skipped: 300, rows: 500, ann_index: true });
    // a blank line before the end: resume skips stored texts, not lines (it used to add the last line again)
    writeFileSync(join(dir, 'c.txt'), 'first text\n\nsecond text\nthird text\n');
    r = await build('c.txt', '--ann-min-rows', '1000000');
    assert.deepEqual(JSON.parse(r.stdout), { added: 3, skipped: 0, rows: 503, ann_index: true });
    r = await build('c.txt', '--resume', '--ann-min-rows', '1000000');
    assert.deepEqual(JSON.parse(r.stdout), { added: 0, skipped: 3, rows: 503, ann_index: true });

    // a new process: the table, its vectors and its embedding function come back from disk
    const script = `
      import { connect } from '@lancedb/lancedb';
      import { loadDefaultModel } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist/src/node.js')).href)};
      import { registerStaticEmbed } from ${JSON.stringify(pathToFileURL(join(REPO_ROOT, 'dist/src/runtime/node/lancedb/embedding-function.js')).href)};
      registerStaticEmbed();
      const t = await (await connect(${JSON.stringify(db)})).openTable('texts');
      const model = await loadDefaultModel();
      const sample = await t.query().where("id IN ('a.txt:1', 'a.txt:300', 'b.txt:18', 'b.txt:200')").toArray();
      const unit = (t) => model.encode([t], { normalize: true }).row(0);
      const same = sample.every((r) => { const v = unit(r.text); return Array.from(r.vector).every((x, j) => x === v[j]); });
      const hit = (await t.search(${JSON.stringify(b[17])}, 'vector').limit(1).toArray())[0];
      console.log(JSON.stringify({ rows: await t.countRows(), a: await t.countRows("starts_with(id, 'a.txt:')"), sample: sample.length, same, hit: hit.id }));
    `;
    const file = join(REPO_ROOT, 'dist', 'lance-reopen-check.mjs');
    writeFileSync(file, script);
    try {
      const p = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(p.status, 0, p.stderr);
      assert.deepEqual(JSON.parse(p.stdout.trim().split('\n').pop()!), {
        rows: 503,
        a: 300,
        sample: 4,
        same: true,
        hit: 'b.txt:18',
      });
    } finally {
      rmSync(file, { force: true });
    }

    r = await runCli(['index', 'search', '--db', db, '--query', a[5]!, '--top-k', '3', '--json', '--exact']);
    assert.equal(r.code, 0, r.stderr);
    const hits = JSON.parse(r.stdout) as Array<{ id: string; text: string; score: number }>;
    assert.equal(hits[0]!.id, 'a.txt:6');
    assert.ok(Math.abs(hits[0]!.score - 1) < 1e-5);
    // scores are cosine similarities (the default model is not normalized: L2 distances gave scores like -76)
    const model = await loadDefaultModel();
    try {
      const q = model.encode([a[5]!]);
      for (const h of hits) {
        const cos = model.similarity(q, model.encode([h.text])).get(0, 0);
        assert.ok(Math.abs(h.score - cos) < 1e-4, `${h.id}: score ${h.score}, cosine ${cos}`);
      }
    } finally {
      await model.close();
    }
    r = await runCli(['index', 'search', '--db', db, '--query', a[5]!, '--where', "id LIKE 'b.txt:%'", '--json']);
    assert.ok((JSON.parse(r.stdout) as Array<{ id: string }>).every((h) => h.id.startsWith('b.txt:')));
    r = await runCli(['index', 'info', '--db', db, '--json']);
    const info = JSON.parse(r.stdout) as {
      rows: number;
      indices: string[];
      embedding_functions: string;
      disk_bytes: number;
    };
    assert.equal(info.rows, 503);
    assert.match(info.indices.join(), /IvfPq/);
    assert.match(info.embedding_functions, /static-embed/);
    assert.ok(info.disk_bytes > 0);
    r = await runCli(['index', 'search', '--db', db, '--query', 'x', '--where', 'nonsense ===']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /LanceDB rejected the search/);
    r = await runCli(['index', 'search', '--db', db, '--table', 'other', '--query', 'x']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /No table "other"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('index build --dim N on a table of another width: exit 2 naming both widths and the fix; nothing appended', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-lance-dim-'));
  try {
    const db = join(dir, 'db');
    writeFileSync(join(dir, 'a.txt'), lines(40, 3).join('\n') + '\n');
    writeFileSync(join(dir, 'b.txt'), lines(30, 4).join('\n') + '\n');
    const build = (file: string, ...extra: string[]) =>
      runCli(['index', 'build', '--input', join(dir, file), '--db', db, '--quiet', '--json', ...extra]);
    let r = await build('a.txt', '--dim', '64');
    assert.equal(r.code, 0, r.stderr);
    r = await build('b.txt', '--dim', '32');
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^static-embed index: error \[INVALID_ARGUMENT\]: Table "texts" .* holds 64-dimensional vectors/,
    );
    assert.match(r.stderr, /--dim\) 32 was asked for.*Drop --dim \(or give --dim 64\).*new table \(--table NAME\)/);
    assert.doesNotMatch(r.stderr, / {4}at /);
    r = await runCli(['index', 'info', '--db', db, '--json']);
    assert.equal((JSON.parse(r.stdout) as { rows: number }).rows, 40, 'nothing appended');
    // the table's own width, or no --dim: appended
    r = await build('b.txt', '--dim', '64');
    assert.deepEqual(JSON.parse(r.stdout), { added: 30, skipped: 0, rows: 70, ann_index: false });
    r = await build('a.txt');
    assert.deepEqual(JSON.parse(r.stdout), { added: 40, skipped: 0, rows: 110, ann_index: false });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('index build / search --model of another model than the table records: exit 2 naming both; --overwrite replaces', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-lance-model-'));
  try {
    const tiny = join(dir, 'tiny');
    writeFiles(tiny, tinyModelFiles());
    writeFileSync(join(dir, 'a.txt'), lines(40, 5).join('\n') + '\n');
    writeFileSync(join(dir, 'b.txt'), lines(30, 6).join('\n') + '\n');
    // run in `dir` with the relative --db "db": LanceDB alone reads a path starting with "db" as a cloud address
    const cli = (...args: string[]) => runCli(args, undefined, undefined, dir);
    const build = (file: string, ...extra: string[]) =>
      cli('index', 'build', '--input', file, '--db', 'db', '--quiet', '--json', ...extra);
    const info = async () =>
      JSON.parse((await cli('index', 'info', '--db', 'db', '--json')).stdout) as {
        rows: number;
        columns: string[];
        embedding_functions: string;
      };
    let r = await build('a.txt');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { added: 40, skipped: 0, rows: 40, ann_index: false });

    // another model on the default model's table: refused, both named, the ways out given, nothing appended
    r = await build('b.txt', '--model', 'tiny');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^static-embed index: error \[INVALID_ARGUMENT\]: Table "texts" in db holds 40 rows /);
    assert.match(
      r.stderr,
      /embedded by the embedded default model \(256 dims\), but model \(--model\) ".*tiny" was asked for/,
    );
    assert.match(r.stderr, /new table \(--table NAME\) or another --db, or replace this table with --overwrite/);
    assert.match(r.stderr, /or drop --model to append with the embedded default model\.$/m);
    assert.doesNotMatch(r.stderr, / {4}at /);
    assert.equal((await info()).rows, 40, 'nothing appended');
    // the same model spelled as its folder: appended
    r = await build('b.txt', '--model', repoFile('models/default'));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).rows, 70);

    // search: the query is embedded by the table's model, so another --model is an error too
    r = await cli('index', 'search', '--db', 'db', '--query', 'river song', '--model', 'tiny');
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /Table "texts" in db was built with the embedded default model \(256 dims\), but model \(--model\) ".*tiny"/,
    );
    assert.match(r.stderr, /queries are embedded by the table's own model.*Drop --model/);
    r = await cli('index', 'search', '--db', 'db', '--query', 'river song', '--dim', '64');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /holds 256-dimensional vectors, but dim \(--dim\) 64 was asked for/);
    r = await cli(
      'index',
      'search',
      '--db',
      'db',
      '--query',
      'river song',
      '--model',
      repoFile('models/default'),
      '--json',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as unknown[]).length, 10);

    // --overwrite replaces the table with the new model's; --resume with it is a contradiction
    r = await build('b.txt', '--model', 'tiny', '--overwrite', '--resume');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /give resume \(--resume\) or overwrite \(--overwrite\), not both/);
    r = await build('b.txt', '--model', 'tiny', '--overwrite');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { added: 30, skipped: 0, rows: 30, ann_index: false });
    let t = await info();
    assert.match(t.columns.join(), /vector: FixedSizeList\[4\]/);
    assert.match(t.embedding_functions, /"model":".*tiny"/);
    // now the tiny model is the table's: without --model (or with it) rows are appended with it; the default is refused
    r = await build('a.txt');
    assert.equal(JSON.parse(r.stdout).rows, 70);
    r = await build('a.txt', '--model', join(dir, 'tiny'));
    assert.equal(JSON.parse(r.stdout).rows, 110);
    r = await build('a.txt', '--model', repoFile('models/default'));
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /embedded by ".*tiny" \(4 dims\), but model \(--model\) the embedded default model was asked for/,
    );
    t = await info();
    assert.equal(t.rows, 110);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a table whose model changed since it was built (a replaced folder, an upgraded default): exit 2, nothing added', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-lance-probe-'));
  try {
    const model = join(dir, 'model');
    const write = (files: Record<string, Uint8Array>) => {
      rmSync(model, { recursive: true, force: true });
      writeFiles(model, files);
    };
    write(tinyModelFiles());
    writeFileSync(join(dir, 'a.txt'), lines(20, 7).join('\n') + '\n');
    const db = join(dir, 'db');
    const cli = (...args: string[]) => runCli(args);
    let r = await cli('index', 'build', '--input', join(dir, 'a.txt'), '--db', db, '--model', model, '--quiet');
    assert.equal(r.code, 0, r.stderr);
    const info = await cli('index', 'info', '--db', db, '--json');
    assert.match((JSON.parse(info.stdout) as { embedding_functions: string }).embedding_functions, /"probe":\[/);
    // the same files written again: still the table's model
    write(tinyModelFiles());
    r = await cli('index', 'search', '--db', db, '--query', 'hello world', '--json');
    assert.equal(r.code, 0, r.stderr);
    // other weights in the same folder: queries would not match the stored vectors
    const other = tinyTable().map((row, i) => row.map((x, j) => x * (j + 2) - i));
    const files = tinyModelFiles();
    files['0_StaticEmbedding/model.safetensors'] = writeSafetensors({
      'embedding.weight': { dtype: 'F32', shape: [other.length, 4], bytes: f32Bytes(other.flat()) },
    });
    write(files);
    r = await cli('index', 'search', '--db', db, '--query', 'hello world');
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /^static-embed index: error \[INVALID_MODEL\]: Model ".*model" is not the model this table's/,
    );
    // the real --db and --table, not placeholders
    assert.match(r.stderr, /index build --overwrite --model .*model --input FILE --db .*db --table texts\)/);
    assert.doesNotMatch(r.stderr, / {4}at /);
    r = await cli('index', 'build', '--input', join(dir, 'a.txt'), '--db', db, '--quiet');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /\[INVALID_MODEL\]/);
    assert.equal((JSON.parse((await cli('index', 'info', '--db', db, '--json')).stdout) as { rows: number }).rows, 20);
    // rebuilt with the model as it is now: searchable again
    r = await cli(
      'index',
      'build',
      '--input',
      join(dir, 'a.txt'),
      '--db',
      db,
      '--model',
      model,
      '--overwrite',
      '--quiet',
    );
    assert.equal(r.code, 0, r.stderr);
    r = await cli('index', 'search', '--db', db, '--query', 'hello world', '--json');
    assert.equal(r.code, 0, r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed or empty index build creates nothing; search / info on a missing --db create nothing; output names the model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-lance-fail-'));
  try {
    const model = join(dir, 'm');
    writeFiles(model, tinyModelFiles());
    const db = join(dir, 'v5');
    const cli = (...args: string[]) => runCli(args);
    writeFileSync(join(dir, 'bad-first.jsonl'), 'not json\n');
    writeFileSync(join(dir, 'bad-later.jsonl'), '{"text":"fine"}\n{"text":"fine too"}\nnot json\n');
    writeFileSync(join(dir, 'blank.txt'), '\n  \n\n');
    writeFileSync(join(dir, 'corpus.txt'), lines(10, 3).join('\n') + '\n');
    for (const [input, code, message] of [
      ['typo.txt', 'IO_ERROR', /typo\.txt/],
      ['bad-first.jsonl', 'INVALID_INPUT', /bad-first\.jsonl:1: not valid JSON/],
      ['bad-later.jsonl', 'INVALID_INPUT', /bad-later\.jsonl:3: not valid JSON/],
      ['blank.txt', 'INVALID_INPUT', /--input \S*blank\.txt holds no texts/],
    ] as const) {
      const r = await cli('index', 'build', '--model', model, '--input', join(dir, input), '--db', db, '--quiet');
      assert.equal(r.code, 2, `${input}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`\\[${code}\\]`));
      assert.match(r.stderr, message);
      assert.equal(existsSync(db), false, `${input}: ${db} was created`);
    }
    let r = await cli('index', 'build', '--model', model, '--input', '/dev/null', '--db', db, '--quiet');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /\[INVALID_INPUT\].*holds no texts/);
    assert.equal(existsSync(db), false);
    // the next build without --model embeds with the default model (no table recorded the failed build's model)
    r = await cli('index', 'build', '--input', join(dir, 'corpus.txt'), '--db', db, '--quiet');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Added 10 rows \(model: the embedded default model\); the table has 10 rows\.$/m);
    // a failed append leaves the table as it was
    r = await cli('index', 'build', '--input', join(dir, 'bad-later.jsonl'), '--db', db, '--quiet');
    assert.equal(r.code, 2, r.stderr);
    r = await cli('index', 'info', '--db', db);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^rows: 10$/m);
    assert.match(r.stdout, /^indices: none$/m);
    // the metadata records { model, dim?, probe }: the default model by name, no per-machine settings
    const fns = JSON.parse(/^embedding_functions: (.*)$/m.exec(r.stdout)![1]!) as Array<{
      model: Record<string, unknown>;
    }>;
    assert.deepEqual(Object.keys(fns[0]!.model).sort(), ['model', 'probe']);
    assert.equal(fns[0]!.model['model'], 'static-embed-default');
    r = await cli('index', 'search', '--db', db, '--query', 'cat', '--json');
    assert.equal(r.code, 0, r.stderr);
    // the recorded name names the default model as --model too
    r = await cli('index', 'search', '--db', db, '--query', 'cat', '--json', '--model', 'static-embed-default');
    assert.equal(r.code, 0, r.stderr);

    r = await cli('index', 'build', '--model', model, '--input', join(dir, 'corpus.txt'), '--db', db, '--table', 't2');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`Added 10 rows \\(model: "${model.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"\\)`));

    for (const sub of [['search', '--query', 'x'], ['info']]) {
      const missing = join(dir, 'missing-db');
      r = await cli('index', sub[0]!, '--db', missing, ...sub.slice(1));
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /\[NOT_FOUND\]: No LanceDB folder at .*missing-db/);
      assert.equal(existsSync(missing), false, `index ${sub[0]!} created ${missing}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a table whose model folder is gone: search and append name the table, the missing model and the ways out', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'se-lance-gone-'));
  try {
    const model = join(dir, 'm64');
    writeFiles(model, tinyModelFiles());
    const db = join(dir, 'v5');
    writeFileSync(join(dir, 'corpus.txt'), lines(10, 4).join('\n') + '\n');
    let r = await runCli([
      'index',
      'build',
      '--model',
      model,
      '--input',
      join(dir, 'corpus.txt'),
      '--db',
      db,
      '--quiet',
    ]);
    assert.equal(r.code, 0, r.stderr);
    rmSync(model, { recursive: true });
    for (const args of [
      ['search', '--query', 'cat'],
      ['build', '--input', join(dir, 'corpus.txt'), '--quiet'],
    ]) {
      r = await runCli(['index', ...args, '--db', db]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /\[NOT_FOUND\]: Table "texts" in .*v5 was built with model ".*m64", which is missing/);
      assert.match(r.stderr, /--overwrite \[--model M\] --input FILE --db .*v5 --table texts/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
