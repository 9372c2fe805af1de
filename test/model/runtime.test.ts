/** StaticModel with an explicitly given runtime: static-model.ts imported alone, no entry point. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticModel, type ModelRuntime } from '../../src/model/static-model.js';
import { coreFromFiles } from '../../src/model/load.js';
import { nodeRuntime } from '../../src/runtime/node/runtime.js';
import { writeTinyModelFolder } from '../helpers/tiny-folder.js';
import { tinyModelFiles } from '../helpers/tiny-model.js';

const TEXTS = Array.from({ length: 600 }, (_, i) => `hello worlds! good day ${i} `.repeat(20));

test('a class given the Node runtime loads a folder and encodes on worker threads', async (t) => {
  class NodeModel extends StaticModel {
    static override readonly runtime = nodeRuntime;
  }
  const dir = writeTinyModelFolder(mkdtempSync(join(tmpdir(), 'static-embed-runtime-')));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const model = await NodeModel.fromPretrained(dir);
  try {
    assert.ok(model instanceof NodeModel);
    const one = model.encode(TEXTS);
    assert.deepEqual(model.encode(TEXTS, { workers: 2 }).data, one.data);
    assert.deepEqual((await model.encodeAsync(TEXTS, { workers: 2 })).data, one.data);
  } finally {
    await model.close();
  }
});

test('a runtime object: its loader reads the model, its workers encode', async () => {
  const used: string[] = [];
  const runtime: ModelRuntime = {
    loadPretrained: async (id, options) => {
      used.push(`load ${id}`);
      return coreFromFiles(tinyModelFiles(), options, id);
    },
    encodeWorkers: (model, workers) => {
      used.push(`${workers} workers`);
      return nodeRuntime.encodeWorkers!(model, workers);
    },
  };
  class Model extends StaticModel {
    static override readonly runtime = runtime;
  }
  const model = await Model.fromPretrained('tiny');
  try {
    const rows = await model.encodeAsync(['hello world', 'good day'], { workers: 1 });
    assert.deepEqual(rows.data, StaticModel.fromBytes(tinyModelFiles()).encode(['hello world', 'good day']).data);
    assert.deepEqual(used, ['load tiny', '1 workers']);
  } finally {
    await model.close();
  }
});

test('StaticModel itself has no runtime: fromPretrained names the alternatives', async () => {
  assert.deepEqual(StaticModel.runtime, {});
  await assert.rejects(StaticModel.fromPretrained('org/name'), /no loader in this runtime.*fromBytes/);
});
