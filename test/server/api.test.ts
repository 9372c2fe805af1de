/**
 * The HTTP API on a real server (127.0.0.1, encoding on worker threads): the official `openai` client (float,
 * base64, dimensions) and plain fetch for the TEI routes; every returned vector equals model.encode's.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { StaticModel, loadDefaultModel } from '../../src/node.js';
import { EmbeddingHandler, serveNode, type RunningServer } from '../../src/entries/server-node.js';
import { repoFile } from '../helpers/shared.js';

const texts = [
  'I used to hate him.',
  'Раньше я ненавидел его.',
  'Der schnelle braune Fuchs.',
  '猫が好きです',
  'a',
  '😀 emoji!',
  'tab\tand\nnewline',
];
let model: StaticModel, second: StaticModel, server: RunningServer, handler: EmbeddingHandler, client: OpenAI;
let encodeCalls = 0,
  encodeDelayMs = 0;

before(async () => {
  model = await loadDefaultModel();
  second = await StaticModel.fromPretrained(repoFile('models/default'), { truncateDim: 64 });
  handler = new EmbeddingHandler({ apiKey: 'sk-test-key' });
  server = await serveNode(handler.fetch, { port: 0 });
  handler.addModel('default-v1', model, async (t) => {
    encodeCalls++;
    if (encodeDelayMs) await new Promise((r) => setTimeout(r, encodeDelayMs));
    const tokens = new Int32Array(new SharedArrayBuffer(t.length * 4));
    return { rows: await model.encodeAsync(t, { workers: 2, normalize: false, tokenCounts: tokens }), tokens };
  });
  handler.addModel('small', second);
  handler.setReady();
  client = new OpenAI({ apiKey: 'sk-test-key', baseURL: `${server.url}/v1`, maxRetries: 0 });
});

after(async () => {
  await server.close();
  await model.close();
});

function sameAsEncode(got: ArrayLike<number>, want: Float32Array, label: string): void {
  assert.equal(got.length, want.length, label);
  for (let j = 0; j < want.length; j++) assert.equal(Math.fround(got[j]!), want[j], `${label}[${j}]`);
}

test('openai client, float: every vector equals model.encode (normalized), usage counts tokens', async () => {
  const r = await client.embeddings.create({ model: 'default-v1', input: texts, encoding_format: 'float' });
  const want = model.encode(texts, { normalize: true });
  assert.equal(r.data.length, texts.length);
  r.data.forEach((d, i) => {
    assert.equal(d.index, i);
    sameAsEncode(d.embedding, want.row(i), `row ${i}`);
  });
  const tokens = texts.reduce((a, t) => a + model.tokenizer.encode(t).length, 0);
  assert.deepEqual(r.usage, { prompt_tokens: tokens, total_tokens: tokens });
  assert.equal(r.model, 'default-v1');
});

test('openai client, base64 (its default) and dimensions: truncated, re-normalized, identical', async () => {
  for (const dimensions of [undefined, 32, 100]) {
    const want = model.encode(texts, { normalize: true, ...(dimensions ? { truncateDim: dimensions } : {}) });
    const decoded = await client.embeddings.create({
      model: 'default-v1',
      input: texts,
      ...(dimensions ? { dimensions } : {}),
    });
    decoded.data.forEach((d, i) => sameAsEncode(d.embedding, want.row(i), `decoded dim ${dimensions} row ${i}`));
    const raw = await client.embeddings.create({
      model: 'default-v1',
      input: texts,
      encoding_format: 'base64',
      ...(dimensions ? { dimensions } : {}),
    });
    raw.data.forEach((d, i) => {
      const b = Buffer.from(d.embedding as unknown as string, 'base64');
      sameAsEncode(
        new Float32Array(b.buffer, b.byteOffset, b.length / 4),
        want.row(i),
        `base64 dim ${dimensions} row ${i}`,
      );
    });
  }
  const one = await client.embeddings.create({
    model: 'default-v1',
    input: 'I used to hate him.',
    encoding_format: 'float',
  });
  sameAsEncode(
    one.data[0]!.embedding,
    model.encode(['I used to hate him.'], { normalize: true }).row(0),
    'single string',
  );
});

test("several models by name; the first is the default; unknown model is a 404 in OpenAI's shape", async () => {
  const r = await client.embeddings.create({ model: 'small', input: texts.slice(0, 2), encoding_format: 'float' });
  r.data.forEach((d, i) =>
    sameAsEncode(d.embedding, second.encode(texts.slice(0, 2), { normalize: true }).row(i), `small ${i}`),
  );
  const list = await client.models.list();
  assert.deepEqual(
    list.data.map((m) => m.id),
    ['default-v1', 'small'],
  );
  const noModel = await fetch(`${server.url}/v1/embeddings`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-test-key', 'content-type': 'application/json' },
    body: JSON.stringify({ input: 'x' }),
  });
  assert.equal(((await noModel.json()) as { model: string }).model, 'default-v1');
  await assert.rejects(
    client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }),
    (e: InstanceType<typeof OpenAI.NotFoundError>) => {
      assert.equal(e.status, 404);
      assert.equal((e.error as { code: string }).code, 'model_not_found');
      assert.match(e.message, /models: default-v1, small/);
      return true;
    },
  );
  await assert.rejects(
    client.embeddings.create({ model: 'small', input: 'x', dimensions: 65 }),
    (e: { status: number; message: string }) => e.status === 400 && /from 1 to 64/.test(e.message),
  );
});

test('wrong or missing API key: 401 without saying which part was wrong; /health stays open, /metrics needs the key', async () => {
  const bad = new OpenAI({ apiKey: 'sk-test-kez', baseURL: `${server.url}/v1`, maxRetries: 0 });
  await assert.rejects(
    bad.embeddings.create({ model: 'default-v1', input: 'x' }),
    (e: { status: number }) => e.status === 401,
  );
  const none = await fetch(`${server.url}/v1/embeddings`, { method: 'POST', body: '{"input":"x"}' });
  assert.equal(none.status, 401);
  const short = await fetch(`${server.url}/embed`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk' },
    body: '{"inputs":"x"}',
  });
  assert.equal(short.status, 401);
  assert.deepEqual(await short.json(), {
    error: 'Missing or invalid API key: send the header "Authorization: Bearer <key>".',
    error_type: 'Unauthorized',
  });
  assert.equal((await fetch(`${server.url}/health`)).status, 200);
  // /metrics names the models, which /v1/models keeps behind the key
  const metrics = await fetch(`${server.url}/metrics`);
  assert.equal(metrics.status, 401);
  assert.doesNotMatch(await metrics.text(), /default-v1/);
  assert.equal(
    (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer sk-test-key' } })).status,
    200,
  );
});

test('GET /v1/models/{id}: the model object (Hub ids URL-encoded); unknown: 404 model_not_found', async () => {
  const m = await client.models.retrieve('small');
  assert.equal(m.id, 'small');
  assert.equal(m.object, 'model');
  await assert.rejects(
    client.models.retrieve('nope/model'),
    (e: { status: number; error: { code: string } }) => e.status === 404 && e.error.code === 'model_not_found',
  );
  const raw = await fetch(`${server.url}/v1/models/default-v1`);
  assert.equal(raw.status, 401);
});

const auth = { authorization: 'Bearer sk-test-key', 'content-type': 'application/json' };

test('TEI /embed: normalize (default true) or raw, dimensions; /similarity equals model.similarity', async () => {
  for (const [normalize, dimensions] of [
    [undefined, undefined],
    [false, undefined],
    [true, 48],
    [false, 16],
  ] as const) {
    const r = await fetch(`${server.url}/embed`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        inputs: texts,
        truncate: true,
        ...(normalize !== undefined ? { normalize } : {}),
        ...(dimensions ? { dimensions } : {}),
      }),
    });
    assert.equal(r.status, 200);
    const got = (await r.json()) as number[][];
    const want = model.encode(texts, {
      normalize: normalize ?? true,
      ...(dimensions ? { truncateDim: dimensions } : {}),
    });
    got.forEach((v, i) => sameAsEncode(v, want.row(i), `/embed ${normalize} ${dimensions} row ${i}`));
  }
  const single = (await (
    await fetch(`${server.url}/embed`, { method: 'POST', headers: auth, body: '{"inputs":"a"}' })
  ).json()) as number[][];
  assert.equal(single.length, 1);
  const s = await fetch(`${server.url}/similarity`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ inputs: { source_sentence: texts[0], sentences: texts.slice(1) } }),
  });
  const scores = (await s.json()) as number[];
  const want = model.similarity(model.encode(texts.slice(0, 1)), model.encode(texts.slice(1)));
  scores.forEach((v, i) => assert.equal(Math.fround(v), Math.fround(want.data[i]!), `similarity ${i}`));
});

test('concurrent requests are micro-batched into fewer encode calls, each answer its own', async () => {
  // a slow encoder: while the first batches run, the other requests queue up and go together
  encodeCalls = 0;
  encodeDelayMs = 20;
  const many = Array.from({ length: 64 }, (_, i) => `sentence number ${i}`);
  const answers = await Promise.all(
    many.map((t) =>
      fetch(`${server.url}/embed`, { method: 'POST', headers: auth, body: JSON.stringify({ inputs: t }) }).then(
        (r) => r.json() as Promise<number[][]>,
      ),
    ),
  );
  const want = model.encode(many, { normalize: true });
  answers.forEach((a, i) => sameAsEncode(a[0]!, want.row(i), `request ${i}`));
  encodeDelayMs = 0;
  assert.ok(encodeCalls < many.length / 2, `${encodeCalls} encode calls for ${many.length} requests`);
});

test('/metrics: Prometheus text with requests, latency histogram, texts, tokens, queue depth, errors', async () => {
  const m = await (await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer sk-test-key' } })).text();
  assert.match(m, /^static_embed_requests_total\{route="\/v1\/embeddings",status="200"\} \d+$/m);
  assert.match(m, /^static_embed_request_duration_seconds_bucket\{route="\/embed",le="\+Inf"\} \d+$/m);
  assert.match(m, /^static_embed_texts_total\{model="default-v1"\} \d+$/m);
  assert.match(m, /^static_embed_tokens_total\{model="default-v1"\} \d+$/m);
  assert.match(m, /^static_embed_queue_depth 0$/m);
  assert.match(m, /^static_embed_errors_total\{code="UNAUTHORIZED",status="401"\} \d+$/m);
  assert.match(m, /^static_embed_memory_budget_used_bytes \d+$/m);
});

test('/health is 503 until the models are loaded; other routes say so too', async () => {
  const h = new EmbeddingHandler();
  const s = await serveNode(h.fetch, { port: 0 });
  try {
    assert.equal((await fetch(`${s.url}/health`)).status, 503);
    const r = await fetch(`${s.url}/v1/embeddings`, { method: 'POST', body: '{"input":"x"}' });
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '1');
    h.addModel('m', model);
    h.setReady();
    assert.equal((await fetch(`${s.url}/health`)).status, 200);
    assert.equal((await fetch(`${s.url}/v1/embeddings`, { method: 'POST', body: '{"input":"x"}' })).status, 200);
  } finally {
    await s.close();
  }
});

test('the handler is a plain (Request) => Response function; CORS only for configured origins', async () => {
  const h = new EmbeddingHandler({ cors: ['https://app.example'] });
  h.addModel('m', model);
  h.setReady();
  // the official openai client's preflight asks for its x-stainless-* headers
  const stainless =
    'authorization, content-type, x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version, ' +
    'x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, x-stainless-timeout';
  const pre = await h.fetch(
    new Request('http://x/v1/embeddings', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': stainless,
      },
    }),
  );
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), 'https://app.example');
  const allowed = pre.headers
    .get('access-control-allow-headers')!
    .split(',')
    .map((x) => x.trim());
  for (const name of stainless.split(', ')) assert.ok(allowed.includes(name), name);
  assert.match(pre.headers.get('vary')!, /Origin/);
  const odd = await h.fetch(
    new Request('http://x/v1/embeddings', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-headers': 'x-a; drop table' },
    }),
  );
  assert.equal(odd.headers.get('access-control-allow-headers'), 'authorization, content-type, x-request-id');
  const other = await h.fetch(
    new Request('http://x/v1/embeddings', {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
      body: '{"input":"a"}',
    }),
  );
  assert.equal(other.status, 200);
  assert.equal(other.headers.get('access-control-allow-origin'), null);
  // Vary: Origin on every response while CORS is on, matched or not (a cache must not reuse one origin's answer)
  assert.equal(other.headers.get('vary'), 'Origin');
  assert.equal((await h.fetch(new Request('http://x/health'))).headers.get('vary'), 'Origin');
  const ok = await h.fetch(
    new Request('http://x/embed', {
      method: 'POST',
      headers: { origin: 'https://app.example' },
      body: '{"inputs":"a"}',
    }),
  );
  assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example');
  const none = new EmbeddingHandler();
  none.addModel('m', model);
  none.setReady();
  const r = await none.fetch(
    new Request('http://x/embed', {
      method: 'POST',
      headers: { origin: 'https://app.example' },
      body: '{"inputs":"a"}',
    }),
  );
  assert.equal(r.headers.get('access-control-allow-origin'), null);
  assert.equal((await none.fetch(new Request('http://x/embed', { method: 'OPTIONS' }))).status, 405);
});

test('one structured log entry per request, without the request body', async () => {
  const entries: Array<Record<string, unknown>> = [];
  const h = new EmbeddingHandler({ log: (e) => entries.push(e) });
  h.addModel('m', model);
  h.setReady();
  const secret = 'my very private sentence 4242';
  await h.fetch(
    new Request('http://x/v1/embeddings', {
      method: 'POST',
      headers: { 'x-request-id': 'abc' },
      body: JSON.stringify({ input: [secret, 'x'] }),
    }),
  );
  await h.fetch(
    new Request('http://x/v1/embeddings', {
      method: 'POST',
      body: JSON.stringify({ input: secret, dimensions: 'no' }),
    }),
  );
  assert.equal(entries.length, 2);
  assert.deepEqual(Object.keys(entries[0]!).sort(), [
    'id',
    'level',
    'method',
    'model',
    'ms',
    'msg',
    'path',
    'status',
    'texts',
    'time',
    'tokens',
  ]);
  assert.equal(entries[0]!.id, 'abc');
  assert.equal(entries[0]!.texts, 2);
  assert.equal(entries[1]!.status, 400);
  assert.equal(entries[1]!.error, 'INVALID_INPUT');
  for (const e of entries) assert.ok(!JSON.stringify(e).includes('private'), 'no request text in the log');
});

test('a full queue refuses requests with 503 OVERLOADED instead of piling them up', async () => {
  const h = new EmbeddingHandler({ maxQueue: 4, maxBatch: 2 });
  h.addModel('m', model, async (t) => {
    await new Promise((r) => setTimeout(r, 30));
    const tokens = new Int32Array(t.length);
    return { rows: model.encode(t, { normalize: false, tokenCounts: tokens }), tokens };
  });
  h.setReady();
  const send = (path: string, body: unknown) =>
    h.fetch(new Request(`http://x${path}`, { method: 'POST', body: JSON.stringify(body) }));
  const replies = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      send(i % 2 ? '/embed' : '/v1/embeddings', i % 2 ? { inputs: ['a', 'b'] } : { input: ['a', 'b'] }),
    ),
  );
  const statuses = replies.map((r) => r.status);
  assert.ok(statuses.includes(200) && statuses.some((x) => x === 503 || x === 429), statuses.join(' '));
  // OpenAI's routes answer 503, TEI's 429 (TEI's overload status)
  assert.ok(
    replies.every((r, i) => r.status === 200 || r.status === (i % 2 ? 429 : 503)),
    statuses.join(' '),
  );
  for (const r of replies.filter((x) => x.status !== 200)) {
    assert.equal(r.headers.get('retry-after'), '1');
    const j = (await r.json()) as { error: { message: string } | string; error_type?: string };
    assert.match(
      typeof j.error === 'string' ? j.error : j.error.message,
      /overloaded: \d+ texts are waiting \(limit 4, --max-queue\)/,
    );
    if (typeof j.error === 'string') assert.equal(j.error_type, 'Overloaded');
  }
  assert.equal((await send('/embed', { inputs: 'later' })).status, 200);
});

test('one memory budget: beyond it 503 (OpenAI) / 429 (TEI) with Retry-After; every reservation is given back', async () => {
  const h = new EmbeddingHandler({ maxMemoryBytes: 300_000 });
  h.addModel('m', model);
  h.setReady();
  const many = (key: string) => JSON.stringify({ [key]: Array.from({ length: 400 }, (_, i) => `text ${i}`) });
  const big = await h.fetch(new Request('http://x/v1/embeddings', { method: 'POST', body: many('input') }));
  assert.equal(big.status, 503);
  assert.equal(big.headers.get('retry-after'), '1');
  assert.match(
    ((await big.json()) as { error: { message: string } }).error.message,
    /memory budget.*\(--max-memory-bytes\)/,
  );
  const tei = await h.fetch(new Request('http://x/embed', { method: 'POST', body: many('inputs') }));
  assert.equal(tei.status, 429);
  assert.equal(((await tei.json()) as { error_type: string }).error_type, 'Overloaded');
  const body = await h.fetch(
    new Request('http://x/embed', { method: 'POST', body: JSON.stringify({ inputs: 'x'.repeat(400_000) }) }),
  );
  assert.equal(body.status, 429);
  assert.equal(h.budget.used, 0);
  // a response holds its reservation until its body has been read
  const ok = await h.fetch(
    new Request('http://x/v1/embeddings', {
      method: 'POST',
      body: JSON.stringify({ input: ['a', 'b'], encoding_format: 'float' }),
    }),
  );
  assert.equal(ok.status, 200);
  assert.ok(h.budget.used > 0);
  assert.equal(((await ok.json()) as { data: unknown[] }).data.length, 2);
  assert.equal(h.budget.used, 0);
});

test('large responses are streamed in slices that equal the whole (float, base64, TEI)', async () => {
  const h = new EmbeddingHandler();
  h.addModel('m', model);
  h.setReady();
  const input = Array.from({ length: 300 }, (_, i) => `sentence ${i}`);
  const want = model.encode(input, { normalize: true });
  for (const encoding_format of ['float', 'base64'] as const) {
    const r = (await (
      await h.fetch(
        new Request('http://x/v1/embeddings', { method: 'POST', body: JSON.stringify({ input, encoding_format }) }),
      )
    ).json()) as { data: Array<{ index: number; embedding: number[] | string }> };
    r.data.forEach((d, i) => {
      assert.equal(d.index, i);
      const got =
        typeof d.embedding === 'string'
          ? new Float32Array(new Uint8Array(Buffer.from(d.embedding, 'base64')).buffer)
          : d.embedding;
      sameAsEncode(got, want.row(i), `${encoding_format} ${i}`);
    });
  }
  const tei = (await (
    await h.fetch(new Request('http://x/embed', { method: 'POST', body: JSON.stringify({ inputs: input }) }))
  ).json()) as number[][];
  tei.forEach((v, i) => sameAsEncode(v, want.row(i), `tei ${i}`));
});
