/**
 * The CLI server as a drop-in for apps written for OpenAI or TEI: --model-alias with the official `openai` client,
 * TEI's GET /info, "listening" only once the models are loaded, and a default port other than the demo's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { loadDefaultModel } from '../../src/node.js';
import { SERVE_PORT } from '../../src/cli/commands/serve.js';
import { STATIC_EMBED_VERSION } from '../../src/version.js';
import { dtypeName } from '../../src/server/routes/tei-info.js';
import { DEMO_PORT } from '../../scripts/demo.js';
import { runCli } from '../helpers/cli.js';
import { startServer } from '../helpers/server.js';

async function stop(s: Awaited<ReturnType<typeof startServer>>): Promise<void> {
  s.child.kill('SIGTERM');
  await s.exited;
}

test('serve --model-alias text-embedding-3-small=static-embed-default: the official openai client as written for OpenAI', async () => {
  const s = await startServer(['--model-alias', 'text-embedding-3-small=static-embed-default', '--workers', '1']);
  try {
    const client = new OpenAI({ apiKey: 'unused', baseURL: `${s.url}/v1`, maxRetries: 0 });
    const texts = ['tips for a healthy heart', 'You can cancel your subscription at any time.'];
    const r = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: texts,
      encoding_format: 'float',
    });
    const model = await loadDefaultModel();
    const want = model.encode(texts, { normalize: true });
    assert.equal(r.data.length, 2);
    for (let i = 0; i < 2; i++)
      assert.deepEqual(
        r.data[i]!.embedding.map((x) => Math.fround(x)),
        Array.from(want.row(i)),
      );
    assert.equal(r.model, 'static-embed-default-v2', 'the answer names the model that served it');
    const other = await client.embeddings
      .create({ model: 'text-embedding-3-large', input: 'x' })
      .catch((e: unknown) => e);
    assert.ok(other instanceof OpenAI.NotFoundError, String(other));
  } finally {
    await stop(s);
  }
});

test('serve --model-alias: a target that is not served, or a malformed value, fails before loading', async () => {
  let r = await runCli(['serve', '--port', '0', '--model-alias', 'text-embedding-3-small=nosuch']);
  assert.equal(r.code, 2);
  assert.match(
    r.stderr,
    /\[INVALID_ARGUMENT\]: --model-alias text-embedding-3-small=nosuch: no served model is named "nosuch"; served: static-embed-default-v2/,
  );
  r = await runCli(['serve', '--port', '0', '--model-alias', 'text-embedding-3-small']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--model-alias takes NAME=MODEL/);
  assert.equal(r.stdout, '', 'nothing logged');
});

test("TEI GET /info: the default model and the limits, in TEI's fields", async () => {
  const s = await startServer(['--workers', '2', '--max-inputs', '64', '--max-connections', '100']);
  try {
    const res = await fetch(`${s.url}/info`);
    assert.equal(res.status, 200);
    const info = (await res.json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(info).sort(), [
      'auto_truncate',
      'docker_label',
      'max_batch_requests',
      'max_batch_tokens',
      'max_client_batch_size',
      'max_concurrent_requests',
      'max_input_length',
      'model_dtype',
      'model_id',
      'model_sha',
      'model_type',
      'sha',
      'tokenization_workers',
      'version',
    ]);
    assert.equal(info.model_id, 'static-embed-default-v2');
    // the embedded model's table is int8 with scales ("I8+scales"): TEI's word for its dtype
    assert.equal(info.model_dtype, dtypeName((await loadDefaultModel()).info().dtype));
    assert.match(String(info.model_dtype), /^(float32|float16|bfloat16|int8|uint8)$/);
    assert.deepEqual(info.model_type, { embedding: { pooling: 'mean' } });
    assert.equal(info.max_client_batch_size, 64);
    assert.equal(info.max_concurrent_requests, 100);
    assert.equal(info.tokenization_workers, 2);
    assert.equal(info.max_input_length, 100_000);
    assert.equal(info.auto_truncate, false);
    assert.equal(info.max_batch_requests, null, 'micro-batches count texts, not requests');
    assert.equal(info.version, STATIC_EMBED_VERSION);
    assert.equal((await fetch(`${s.url}/info`, { method: 'POST' })).status, 405);
  } finally {
    await stop(s);
  }
});

test('serve --model nosuch: fails (exit 2, "did you mean" when close) without logging "listening"', async () => {
  const r = await runCli(['serve', '--port', '0', '--model', 'static-embed-defualt']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /\[NOT_FOUND\].*Did you mean --model static-embed-default\?/);
  const msgs = r.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { msg: string }).msg);
  assert.ok(!msgs.includes('listening') && !msgs.includes('ready'), msgs.join());
});

test('the demo and serve take different default ports', () => {
  assert.equal(SERVE_PORT, 8080);
  assert.notEqual(DEMO_PORT, SERVE_PORT);
});
