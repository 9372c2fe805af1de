/**
 * The HTTP API on a real server (127.0.0.1, encoding on worker threads): the official `openai` client (float,
 * base64, dimensions) and plain fetch for the TEI routes; every returned vector equals model.encode's.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { StaticModel, loadDefaultModel } from '../../src/node.js';
import { EmbeddingHandler, serveNode, type RunningServer } from '../../src/entries/server-node.js';
import { requestTo } from '../helpers/request.js';
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
const request = requestTo(() => server);
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

describe('the openai client', () => {
  test('float: every vector equals model.encode (normalized), usage counts tokens', async () => {
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

  test('base64 (its default) and dimensions: truncated, re-normalized, identical', async () => {
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
});

describe('several models', () => {
  test('each is chosen by its name and listed in order', async () => {
    const r = await client.embeddings.create({ model: 'small', input: texts.slice(0, 2), encoding_format: 'float' });
    r.data.forEach((d, i) =>
      sameAsEncode(d.embedding, second.encode(texts.slice(0, 2), { normalize: true }).row(i), `small ${i}`),
    );
    const list = await client.models.list();
    assert.deepEqual(
      list.data.map((m) => m.id),
      ['default-v1', 'small'],
    );
  });

  test('the first is the default', async () => {
    const noModel = await request('/v1/embeddings', {
      headers: { authorization: 'Bearer sk-test-key', 'content-type': 'application/json' },
      json: { input: 'x' },
    });
    assert.equal(((await noModel.json()) as { model: string }).model, 'default-v1');
  });

  test("an unknown model is a 404 in OpenAI's shape", async () => {
    await assert.rejects(
      client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }),
      (e: InstanceType<typeof OpenAI.NotFoundError>) => {
        assert.equal(e.status, 404);
        assert.equal((e.error as { code: string }).code, 'model_not_found');
        assert.match(e.message, /models: default-v1, small/);
        return true;
      },
    );
  });

  test("dimensions beyond a model's width are a 400", async () => {
    await assert.rejects(
      client.embeddings.create({ model: 'small', input: 'x', dimensions: 65 }),
      (e: { status: number; message: string }) => e.status === 400 && /from 1 to 64/.test(e.message),
    );
  });
});

describe('the API key', () => {
  test('a wrong key is a 401', async () => {
    const bad = new OpenAI({ apiKey: 'sk-test-kez', baseURL: `${server.url}/v1`, maxRetries: 0 });
    await assert.rejects(
      bad.embeddings.create({ model: 'default-v1', input: 'x' }),
      (e: { status: number }) => e.status === 401,
    );
  });

  test('a missing key is a 401', async () => {
    const none = await request('/v1/embeddings', { method: 'POST', body: '{"input":"x"}' });
    assert.equal(none.status, 401);
  });

  test('the 401 does not say which part was wrong', async () => {
    const short = await request('/embed', { key: 'sk', body: '{"inputs":"x"}' });
    assert.equal(short.status, 401);
    assert.deepEqual(await short.json(), {
      error: 'Missing or invalid API key: send the header "Authorization: Bearer <key>".',
      error_type: 'Unauthorized',
    });
  });

  test('/health stays open', async () => {
    assert.equal((await request('/health')).status, 200);
  });

  test('/metrics needs the key (it names the models)', async () => {
    // /metrics names the models, which /v1/models keeps behind the key
    const metrics = await request('/metrics');
    assert.equal(metrics.status, 401);
    assert.doesNotMatch(await metrics.text(), /default-v1/);
    assert.equal((await request('/metrics', { key: 'sk-test-key' })).status, 200);
  });
});

describe('GET /v1/models/{id}', () => {
  test('answers the model object', async () => {
    const m = await client.models.retrieve('small');
    assert.equal(m.id, 'small');
    assert.equal(m.object, 'model');
  });

  test('an unknown id (a Hub id, URL-encoded) is a 404 model_not_found', async () => {
    await assert.rejects(
      client.models.retrieve('nope/model'),
      (e: { status: number; error: { code: string } }) => e.status === 404 && e.error.code === 'model_not_found',
    );
  });

  test('needs the API key', async () => {
    const raw = await request('/v1/models/default-v1');
    assert.equal(raw.status, 401);
  });
});

const auth = { authorization: 'Bearer sk-test-key', 'content-type': 'application/json' };

describe('TEI routes', () => {
  test('/embed: normalize (default true) or raw, and dimensions', async () => {
    for (const [normalize, dimensions] of [
      [undefined, undefined],
      [false, undefined],
      [true, 48],
      [false, 16],
    ] as const) {
      const r = await request('/embed', {
        headers: auth,
        json: {
          inputs: texts,
          truncate: true,
          ...(normalize !== undefined ? { normalize } : {}),
          ...(dimensions ? { dimensions } : {}),
        },
      });
      assert.equal(r.status, 200);
      const got = (await r.json()) as number[][];
      const want = model.encode(texts, {
        normalize: normalize ?? true,
        ...(dimensions ? { truncateDim: dimensions } : {}),
      });
      got.forEach((v, i) => sameAsEncode(v, want.row(i), `/embed ${normalize} ${dimensions} row ${i}`));
    }
  });

  test('/embed takes a single string', async () => {
    const single = (await (await request('/embed', { headers: auth, body: '{"inputs":"a"}' })).json()) as number[][];
    assert.equal(single.length, 1);
  });

  test('/similarity equals model.similarity', async () => {
    const s = await request('/similarity', {
      headers: auth,
      json: { inputs: { source_sentence: texts[0], sentences: texts.slice(1) } },
    });
    const scores = (await s.json()) as number[];
    const want = model.similarity(model.encode(texts.slice(0, 1)), model.encode(texts.slice(1)));
    scores.forEach((v, i) => assert.equal(Math.fround(v), Math.fround(want.data[i]!), `similarity ${i}`));
  });
});

test('concurrent requests are micro-batched into fewer encode calls, each its own', async () => {
  // a slow encoder: while the first batches run, the other requests queue up and go together
  encodeCalls = 0;
  encodeDelayMs = 20;
  const many = Array.from({ length: 64 }, (_, i) => `sentence number ${i}`);
  const answers = await Promise.all(
    many.map((t) =>
      request('/embed', { headers: auth, json: { inputs: t } }).then((r) => r.json() as Promise<number[][]>),
    ),
  );
  const want = model.encode(many, { normalize: true });
  answers.forEach((a, i) => sameAsEncode(a[0]!, want.row(i), `request ${i}`));
  encodeDelayMs = 0;
  assert.ok(encodeCalls < many.length / 2, `${encodeCalls} encode calls for ${many.length} requests`);
});

test('/metrics: Prometheus text of requests, latency, texts, tokens, queue, errors', async () => {
  const m = await (await request('/metrics', { key: 'sk-test-key' })).text();
  assert.match(m, /^static_embed_requests_total\{route="\/v1\/embeddings",status="200"\} \d+$/m);
  assert.match(m, /^static_embed_request_duration_seconds_bucket\{route="\/embed",le="\+Inf"\} \d+$/m);
  assert.match(m, /^static_embed_texts_total\{model="default-v1"\} \d+$/m);
  assert.match(m, /^static_embed_tokens_total\{model="default-v1"\} \d+$/m);
  assert.match(m, /^static_embed_queue_depth 0$/m);
  assert.match(m, /^static_embed_errors_total\{code="UNAUTHORIZED",status="401"\} \d+$/m);
  assert.match(m, /^static_embed_memory_budget_used_bytes \d+$/m);
});

describe('until the models are loaded', () => {
  let h: EmbeddingHandler, s: RunningServer;
  const loading = requestTo(() => s);
  before(async () => {
    h = new EmbeddingHandler();
    s = await serveNode(h.fetch, { port: 0 });
  });
  after(() => s.close());

  test('/health is 503', async () => {
    assert.equal((await loading('/health')).status, 503);
  });

  test('other routes are 503 with Retry-After', async () => {
    const r = await loading('/v1/embeddings', { method: 'POST', body: '{"input":"x"}' });
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('retry-after'), '1');
  });

  test('once ready, /health and the other routes answer 200', async () => {
    h.addModel('m', model);
    h.setReady();
    assert.equal((await loading('/health')).status, 200);
    assert.equal((await loading('/v1/embeddings', { method: 'POST', body: '{"input":"x"}' })).status, 200);
  });
});

/** A handler serving `model` as "m", ready, with `options`; called in process. */
function handlerWith(options: ConstructorParameters<typeof EmbeddingHandler>[0] = {}): EmbeddingHandler {
  const h = new EmbeddingHandler(options);
  h.addModel('m', model);
  h.setReady();
  return h;
}

describe('CORS (the handler is a plain (Request) => Response function)', () => {
  const cors = requestTo(() => handlerWith({ cors: ['https://app.example'] }));
  // the official openai client's preflight asks for its x-stainless-* headers
  const stainless =
    'authorization, content-type, x-stainless-arch, x-stainless-lang, x-stainless-os, x-stainless-package-version, ' +
    'x-stainless-retry-count, x-stainless-runtime, x-stainless-runtime-version, x-stainless-timeout';
  const fromOther = () =>
    cors('/v1/embeddings', { method: 'POST', headers: { origin: 'https://evil.example' }, body: '{"input":"a"}' });

  test("a preflight from a configured origin allows it and the openai client's headers", async () => {
    const pre = await cors('/v1/embeddings', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': stainless,
      },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), 'https://app.example');
    const allowed = pre.headers
      .get('access-control-allow-headers')!
      .split(',')
      .map((x) => x.trim());
    for (const name of stainless.split(', ')) assert.ok(allowed.includes(name), name);
    assert.match(pre.headers.get('vary')!, /Origin/);
  });

  test('a preflight asking for odd headers gets the fixed list', async () => {
    const odd = await cors('/v1/embeddings', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-headers': 'x-a; drop table' },
    });
    assert.equal(odd.headers.get('access-control-allow-headers'), 'authorization, content-type, x-request-id');
  });

  test('another origin is answered without an allow-origin header', async () => {
    const other = await fromOther();
    assert.equal(other.status, 200);
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  test('Vary: Origin is on every response, matched or not', async () => {
    // Vary: Origin on every response while CORS is on, matched or not (a cache must not reuse one origin's answer)
    const other = await fromOther();
    assert.equal(other.headers.get('vary'), 'Origin');
    assert.equal((await cors('/health')).headers.get('vary'), 'Origin');
  });

  test('a configured origin is allowed on the TEI routes', async () => {
    const ok = await cors('/embed', {
      method: 'POST',
      headers: { origin: 'https://app.example' },
      body: '{"inputs":"a"}',
    });
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example');
  });

  test('without configured origins there is no CORS', async () => {
    const none = requestTo(handlerWith());
    const r = await none('/embed', {
      method: 'POST',
      headers: { origin: 'https://app.example' },
      body: '{"inputs":"a"}',
    });
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    assert.equal((await none('/embed', { method: 'OPTIONS' })).status, 405);
  });
});

test('one structured log entry per request, without the request body', async () => {
  const entries: Array<Record<string, unknown>> = [];
  const logged = requestTo(handlerWith({ log: (e) => entries.push(e) }));
  const secret = 'my very private sentence 4242';
  await logged('/v1/embeddings', { headers: { 'x-request-id': 'abc' }, json: { input: [secret, 'x'] } });
  await logged('/v1/embeddings', { json: { input: secret, dimensions: 'no' } });
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
  const send = (path: string, body: unknown) => requestTo(h)(path, { json: body });
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

describe('one memory budget', () => {
  let h: EmbeddingHandler;
  const budgeted = requestTo(() => h);
  before(() => {
    h = handlerWith({ maxMemoryBytes: 300_000 });
  });
  const many = (key: string) => JSON.stringify({ [key]: Array.from({ length: 400 }, (_, i) => `text ${i}`) });

  test('beyond it, OpenAI routes answer 503 with Retry-After', async () => {
    const big = await budgeted('/v1/embeddings', { method: 'POST', body: many('input') });
    assert.equal(big.status, 503);
    assert.equal(big.headers.get('retry-after'), '1');
    assert.match(
      ((await big.json()) as { error: { message: string } }).error.message,
      /memory budget.*\(--max-memory-bytes\)/,
    );
  });

  test("beyond it, TEI routes answer 429 (TEI's Overloaded)", async () => {
    const tei = await budgeted('/embed', { method: 'POST', body: many('inputs') });
    assert.equal(tei.status, 429);
    assert.equal(((await tei.json()) as { error_type: string }).error_type, 'Overloaded');
  });

  test('a body beyond it is a 429, and every reservation is given back', async () => {
    const body = await budgeted('/embed', { json: { inputs: 'x'.repeat(400_000) } });
    assert.equal(body.status, 429);
    assert.equal(h.budget.used, 0);
  });

  test('a response holds its reservation until its body has been read', async () => {
    const ok = await budgeted('/v1/embeddings', { json: { input: ['a', 'b'], encoding_format: 'float' } });
    assert.equal(ok.status, 200);
    assert.ok(h.budget.used > 0);
    assert.equal(((await ok.json()) as { data: unknown[] }).data.length, 2);
    assert.equal(h.budget.used, 0);
  });
});

test('large responses are streamed in slices that equal the whole (float, base64, TEI)', async () => {
  const streamed = requestTo(handlerWith());
  const input = Array.from({ length: 300 }, (_, i) => `sentence ${i}`);
  const want = model.encode(input, { normalize: true });
  for (const encoding_format of ['float', 'base64'] as const) {
    const r = (await (await streamed('/v1/embeddings', { json: { input, encoding_format } })).json()) as {
      data: Array<{ index: number; embedding: number[] | string }>;
    };
    r.data.forEach((d, i) => {
      assert.equal(d.index, i);
      const got =
        typeof d.embedding === 'string'
          ? new Float32Array(new Uint8Array(Buffer.from(d.embedding, 'base64')).buffer)
          : d.embedding;
      sameAsEncode(got, want.row(i), `${encoding_format} ${i}`);
    });
  }
  const tei = (await (await streamed('/embed', { json: { inputs: input } })).json()) as number[][];
  tei.forEach((v, i) => sameAsEncode(v, want.row(i), `tei ${i}`));
});
