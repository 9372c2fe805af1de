/**
 * An int8 table loaded from a folder is read from its file on first use, a block of rows at a time, with the
 * embeddings of a table read whole; the file is closed once every row is in.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticModel, StaticEmbedError } from '../../src/node.js';
import type { ModelCore } from '../../src/model/core.js';
import { DEFAULT_MODEL_PATH } from '../../src/runtime/node/default-model.js';
import { loadModelFolder } from '../../src/runtime/node/api.js';
import { readLines } from '../helpers/corpus.js';
import { sharedFile } from '../helpers/shared.js';

const rowsOf = (m: StaticModel) => (m as unknown as { core: ModelCore }).core.rows;
const TEXTS = ['The cat sleeps.', 'El gato duerme.', 'Кошка спит.', '猫が寝ている。', ''];
const openFiles = () => readdirSync('/proc/self/fd').length;

/** The default model's files in memory (paths relative to its folder): a table read whole. */
function defaultFiles(): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const e of readdirSync(DEFAULT_MODEL_PATH, { recursive: true, withFileTypes: true }))
    if (e.isFile()) {
      const path = join(e.parentPath, e.name);
      files.set(path.slice(DEFAULT_MODEL_PATH.length + 1), readFileSync(path));
    }
  return files;
}

describe('int8 tables read on first use', () => {
  test('a loaded model has read none of its rows, and encoding reads only its texts’ rows', () => {
    const m = loadModelFolder(DEFAULT_MODEL_PATH);
    assert.equal(rowsOf(m)?.complete, false);
    m.encode(TEXTS);
    assert.equal(rowsOf(m)?.complete, false);
  });

  test('embeddings equal those of the table read whole, bit for bit', (t) => {
    const corpus = sharedFile(t, 'corpus/bench-corpus.txt');
    const texts = [...TEXTS, ...(corpus ? readLines(corpus).slice(0, 3000) : [])];
    const whole = StaticModel.fromBytes(defaultFiles());
    assert.equal(rowsOf(whole), undefined);
    for (const o of [{}, { truncateDim: 64 }, { kernel: 'js' as const }]) {
      const lazy = loadModelFolder(DEFAULT_MODEL_PATH, o);
      const eager = Object.keys(o).length === 0 ? whole : StaticModel.fromBytes(defaultFiles(), o);
      for (let i = 0; i < texts.length; i += 500) {
        const part = texts.slice(i, i + 500);
        assert.deepEqual(lazy.encode(part).data, eager.encode(part).data, JSON.stringify(o));
      }
    }
  });

  test('reading the table as float32 reads every row first', () => {
    const lazy = loadModelFolder(DEFAULT_MODEL_PATH);
    const eager = StaticModel.fromBytes(defaultFiles());
    assert.deepEqual(lazy.table, eager.table);
  });

  test('the file is closed once every row is read', { skip: !existsSync('/proc/self/fd') }, () => {
    const before = openFiles();
    const m = loadModelFolder(DEFAULT_MODEL_PATH);
    assert.equal(openFiles(), before + 1);
    void m.table;
    assert.equal(openFiles(), before);
  });

  test('a table file cut short after loading fails with a typed error', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'se-lazy-')), 'model');
    cpSync(DEFAULT_MODEL_PATH, dir, { recursive: true });
    const m = loadModelFolder(dir);
    truncateSync(join(dir, '0_StaticEmbedding', 'model.safetensors'), 1000);
    assert.throws(
      () => m.encode(['the table is gone']),
      (e: unknown) => e instanceof StaticEmbedError && e.code === 'INVALID_SAFETENSORS' && /truncated/.test(e.message),
    );
  });
});
