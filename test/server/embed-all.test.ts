/**
 * TEI's /embed_all on a real server (127.0.0.1): per text, one vector per token in TEI's shape (an array of arrays
 * of floats per input), equal to model2vec's encode_as_sequence (goldens of scripts/make-token-vector-goldens.py).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { StaticModel, loadDefaultModel } from '../../src/node.js';
import { EmbeddingHandler, serveNode, type RunningServer } from '../../src/entries/server-node.js';
import { readJsonl } from '../helpers/corpus.js';
import { assertClose } from '../helpers/close.js';
import { repoFile, sharedFile } from '../helpers/shared.js';

let server: RunningServer, model: StaticModel;
let m2v: StaticModel | undefined;

before(async () => {
  model = await loadDefaultModel();
  const handler = new EmbeddingHandler({});
  handler.addModel('default', model);
  const dir = repoFile('../shared/fixtures/model2vec-rs/test-model-vocab-quantized');
  try {
    m2v = await StaticModel.fromPretrained(dir);
    handler.addModel('m2v', m2v);
  } catch {
    m2v = undefined;
  }
  handler.setReady();
  server = await serveNode(handler.fetch, { port: 0 });
});

after(async () => {
  await server.close();
});

async function embedAll(body: unknown): Promise<{ status: number; json: unknown }> {
  const r = await fetch(`${server.url}/embed_all`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: r.status, json: await r.json() };
}

test('/embed_all: one vector per token, as encodeTokens, in TEI shape', async () => {
  const texts = ['Hello world!', 'naïve café 😀', 'ร้านกาแฟ'];
  const { status, json } = await embedAll({ inputs: texts });
  assert.equal(status, 200);
  const got = json as number[][][];
  const want = model.encodeTokens(texts);
  assert.equal(got.length, 3);
  got.forEach((rows, i) => {
    assert.equal(rows.length, want[i]!.ids.length);
    rows.forEach((r, k) => assert.deepEqual(r.map(Math.fround), [...want[i]!.vectors.row(k)], `text ${i} token ${k}`));
  });
  const single = await embedAll({ inputs: 'Hello world!', truncate: true });
  assert.deepEqual(single.json, [got[0]]);
  const bad = await embedAll({ inputs: 3 });
  assert.equal(bad.status, 400);
});

test("/embed_all on a model2vec model equals model2vec's encode_as_sequence", async (t) => {
  const s = sharedFile(t, 'fixtures/synthetic-mbert-16d/sentences.jsonl');
  if (!s || !m2v) return;
  const golden = JSON.parse(readFileSync(repoFile('test/golden/token-vectors.json'), 'utf8')) as Record<
    string,
    { default: Record<string, { ids?: number[]; rows?: string }> }
  >;
  const g = golden['test-model-vocab-quantized']!.default;
  const texts = new Map(readJsonl<{ id: number; text: string }>(s).map((r) => [String(r.id), r.text]));
  // TEI refuses empty inputs (as /embed does)
  const ids = Object.keys(g).filter((id) => g[id]!.rows !== undefined && texts.get(id)!.trim() !== '');
  const { json } = await embedAll({ model: 'm2v', inputs: ids.map((id) => texts.get(id)!) });
  (json as number[][][]).forEach((rows, i) => {
    const want = new Float32Array(Uint8Array.from(atob(g[ids[i]!]!.rows!), (c) => c.charCodeAt(0)).buffer);
    assertClose(rows.flat(), want, 1e-6, `sentence ${ids[i]}`);
  });
});
