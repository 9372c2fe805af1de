/**
 * The server (the CLI, in a child process) against hostile input: each case gets its documented status or is
 * closed by a timeout, the server keeps serving afterwards, its memory does not grow over repeated rounds, and
 * SIGTERM lets an in-flight request finish before exiting 0.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createGzip, deflateSync, gzipSync } from 'node:zlib';
import { relative } from 'node:path';
import { repoFile } from '../helpers/shared.js';
import { raw, residentBytes, startServer, type RunningChild } from '../helpers/server.js';

type Running = RunningChild;

const start = (extra: string[] = [], env: Record<string, string> = {}, withKey = true) =>
  startServer(
    [
      ...(withKey ? ['--api-key', 'key'] : []),
      '--workers',
      '1',
      '--serializers',
      '1',
      '--request-timeout',
      '1',
      '--max-inputs',
      '100',
      '--max-input-chars',
      '1000',
      '--max-body-bytes',
      '1048576',
      '--quiet',
      ...extra,
    ],
    env,
  );

let s: Running;
before(async () => {
  s = await start();
});
after(async () => {
  s.child.kill('SIGKILL');
  await s.exited;
});

const H = { authorization: 'Bearer key', 'content-type': 'application/json' };
const post = (path: string, body: string | Uint8Array, headers: Record<string, string> = H) =>
  fetch(`${s.url}${path}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : new Blob([new Uint8Array(body)]),
  });

/** [name, path, body, status, message pattern] */
const CASES: Array<[string, string, string | Uint8Array, number, RegExp]> = [
  ['invalid JSON', '/v1/embeddings', '{"input": "abc"', 400, /not valid JSON/],
  ['empty body', '/v1/embeddings', '', 400, /body is empty/],
  ['body is an array', '/v1/embeddings', '["a"]', 400, /must be a JSON object/],
  ['body is null', '/embed', 'null', 400, /must be a JSON object/],
  ['input missing', '/v1/embeddings', '{"model": "x"}', 404, /does not exist/],
  ['input missing (default model)', '/v1/embeddings', '{}', 400, /Missing required field 'input'/],
  ['input is a number', '/v1/embeddings', '{"input": 5}', 400, /string or an array of strings, got number/],
  ['input item is null', '/v1/embeddings', '{"input": ["a", null]}', 400, /'input\[1\]' must be a string, got null/],
  ['token ids', '/v1/embeddings', '{"input": [[1, 2, 3]]}', 400, /token ids/],
  ['empty string', '/v1/embeddings', '{"input": ""}', 400, /'input' is an empty string/],
  ['empty array', '/embed', '{"inputs": []}', 400, /empty array/],
  [
    'dimensions as a string',
    '/v1/embeddings',
    '{"input": "a", "dimensions": "8"}',
    400,
    /'dimensions' must be an integer from 1 to 256/,
  ],
  ['dimensions too large', '/embed', '{"inputs": "a", "dimensions": 257}', 400, /from 1 to 256/],
  ['bad encoding_format', '/v1/embeddings', '{"input": "a", "encoding_format": "hex"}', 400, /"float" or "base64"/],
  [
    'normalize not a boolean',
    '/embed',
    '{"inputs": "a", "normalize": "yes"}',
    400,
    /'normalize' must be true or false/,
  ],
  [
    'similarity without sentences',
    '/similarity',
    '{"inputs": {"source_sentence": "a"}}',
    400,
    /'inputs.sentences' must be an array/,
  ],
  // a field over a limit: 400 on the OpenAI routes (as OpenAI answers), 413 on TEI's
  [
    'input too long',
    '/v1/embeddings',
    JSON.stringify({ input: ['ok', 'x'.repeat(1001)] }),
    400,
    /'input\[1\]' has 1001 characters; the limit is 1000 per input/,
  ],
  [
    '10^5 inputs',
    '/v1/embeddings',
    JSON.stringify({ input: Array.from({ length: 100_000 }, () => 'a') }),
    400,
    /100000 items; the limit is 100 per request/,
  ],
  [
    'one input over --max-inputs',
    '/v1/embeddings',
    JSON.stringify({ input: Array.from({ length: 101 }, () => 'a') }),
    400,
    /101 items; the limit is 100 per request/,
  ],
  [
    'one input over --max-inputs (TEI)',
    '/embed',
    JSON.stringify({ inputs: Array.from({ length: 101 }, () => 'a') }),
    413,
    /101 items; the limit is 100 per request/,
  ],
  [
    'truncation_direction an object',
    '/embed',
    '{"inputs": "a", "truncation_direction": {"toString": 1}}',
    400,
    /'truncation_direction' must be "Left" or "Right"/,
  ],
  ['model a number', '/v1/embeddings', '{"input": "a", "model": 5}', 400, /'model' must be a string/],
  ['model an object', '/embed', '{"inputs": "a", "model": {"x": 1}}', 400, /'model' must be a string/],
  [
    'body too large',
    '/v1/embeddings',
    JSON.stringify({ input: 'a'.repeat(2_000_000) }),
    413,
    /the limit is 1048576 bytes/,
  ],
  [
    'deeply nested JSON',
    '/v1/embeddings',
    '{"input":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}',
    400,
    /nested more than 32 levels/,
  ],
  [
    'invalid UTF-8',
    '/v1/embeddings',
    Uint8Array.from([...Buffer.from('{"input": "a'), 0xff, 0xfe, ...Buffer.from('"}')]),
    400,
    /not valid UTF-8/,
  ],
  [
    'unknown model',
    '/v1/embeddings',
    '{"input": "a", "model": "gpt-embed"}',
    404,
    /"gpt-embed" does not exist here; models: static-embed-default-v2/,
  ],
];

test('bad requests get the documented status and message (OpenAI and TEI error shapes)', async () => {
  for (const [name, path, body, status, pattern] of CASES) {
    const r = await post(path, body);
    assert.equal(r.status, status, name);
    const j = (await r.json()) as { error: { message: string; type: string } | string; error_type?: string };
    const message = typeof j.error === 'string' ? j.error : j.error.message;
    assert.match(message, pattern, name);
    if (path === '/v1/embeddings') assert.equal((j.error as { type: string }).type, 'invalid_request_error', name);
    else assert.equal(typeof j.error_type, 'string', name);
  }
});

test('auth, routes, methods and media types', async () => {
  assert.equal((await post('/v1/embeddings', '{"input":"a"}', { authorization: 'Bearer kex' })).status, 401);
  assert.equal((await post('/v1/embeddings', '{"input":"a"}', {})).status, 401);
  assert.equal((await post('/nope', '{}')).status, 404);
  // TRACE (which fetch's Request refuses): 405 like any other wrong method, logged and counted
  const trace = await raw(s.port, (k) => k.write('TRACE /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
  assert.match(trace, /^HTTP\/1\.1 405/);
  assert.match(trace, /accepts GET, not TRACE/);
  assert.match(
    await (await fetch(`${s.url}/metrics`, { headers: H })).text(),
    /^static_embed_requests_total\{route="\/health",status="405"\} [1-9]/m,
  );
  const get = await fetch(`${s.url}/v1/embeddings`, { headers: H });
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  const form = await post('/v1/embeddings', '--x--', { ...H, 'content-type': 'multipart/form-data; boundary=x' });
  assert.equal(form.status, 415);
  // without --cors: no CORS headers
  const cors = await post('/embed', '{"inputs":"a"}', { ...H, origin: 'https://evil.example' });
  assert.equal(cors.headers.get('access-control-allow-origin'), null);
});

test('NUL and control characters are accepted (the normalizer removes them); only-control input embeds to zeros', async () => {
  const r = await post(
    '/v1/embeddings',
    JSON.stringify({ input: ['a\u0000b\u0007c\u001b', '\u0000\u0001\u0002'], encoding_format: 'float' }),
  );
  assert.equal(r.status, 200);
  const j = (await r.json()) as { data: Array<{ embedding: number[] }> };
  assert.ok(j.data[0]!.embedding.some((v) => v !== 0));
  assert.ok(j.data[1]!.embedding.every((v) => v === 0));
});

test('Content-Encoding: gzip and deflate are decoded; the decoded size is limited (a zip bomb is a 413); others 415', async () => {
  const body = JSON.stringify({ input: ['compressed', 'text'], encoding_format: 'float' });
  for (const [name, bytes] of [
    ['gzip', gzipSync(body)],
    ['deflate', deflateSync(body)],
  ] as const) {
    const r = await post('/v1/embeddings', bytes, { ...H, 'content-encoding': name });
    assert.equal(r.status, 200, name);
    assert.equal(((await r.json()) as { data: unknown[] }).data.length, 2);
  }
  // 256 MiB of spaces in ~250 KB: stopped at --max-body-bytes of decoded bytes
  const bomb = await gzipBomb(256);
  const before = await rss();
  const r = await post('/v1/embeddings', bomb, { ...H, 'content-encoding': 'gzip' });
  assert.equal(r.status, 413);
  assert.match(
    ((await r.json()) as { error: { message: string } }).error.message,
    /once decoded \(gzip\); the limit is 1048576 bytes/,
  );
  assert.ok((await rss()) - before < 64 * 2 ** 20, 'the bomb was not inflated in memory');
  const bad = await post('/v1/embeddings', Buffer.from('not gzip at all'), { ...H, 'content-encoding': 'gzip' });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: { message: string } }).error.message, /could not be decoded as gzip/);
  const br = await post('/embed', Buffer.from('x'), { ...H, 'content-encoding': 'br' });
  assert.equal(br.status, 415);
  assert.match(((await br.json()) as { error: string }).error, /Content-Encoding "br" is not supported/);
});

test('the API key from STATIC_EMBED_API_KEY (not on the command line); /metrics needs it', async () => {
  const t = await start(['--quiet'], { STATIC_EMBED_API_KEY: 'env-key' }, false);
  try {
    assert.equal((await fetch(`${t.url}/v1/models`, { headers: { authorization: 'Bearer env-key' } })).status, 200);
    assert.equal((await fetch(`${t.url}/v1/models`, { headers: { authorization: 'Bearer key' } })).status, 401);
    assert.equal((await fetch(`${t.url}/metrics`)).status, 401);
    const m = await fetch(`${t.url}/metrics`, { headers: { authorization: 'Bearer env-key' } });
    assert.match(await m.text(), /static_embed_requests_total/);
  } finally {
    t.child.kill('SIGTERM');
    assert.equal(await t.exited, 0);
  }
});

/** gzip of `mib` MiB of spaces, compressed as a stream (never held whole). */
async function gzipBomb(mib: number): Promise<Buffer> {
  const z = createGzip({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (d: Buffer) => out.push(d));
  const mb = Buffer.alloc(1024 * 1024, 32);
  for (let i = 0; i < mib; i++) if (!z.write(mb)) await new Promise((r) => z.once('drain', r));
  await new Promise((r) => z.end(r));
  return Buffer.concat(out);
}

test('oversized headers: 431; headers or body trickling in byte by byte: closed by the timeouts (408)', async () => {
  const big = await raw(s.port, (k) =>
    k.write(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`),
  );
  assert.match(big, /^HTTP\/1\.1 431/);
  const t0 = Date.now();
  const loris = await raw(s.port, (k) => {
    const msg = 'POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
    let i = 0;
    const iv = setInterval(() => {
      if (i < msg.length && !k.destroyed) k.write(msg[i++]!);
      else clearInterval(iv);
    }, 100);
    k.on('close', () => clearInterval(iv));
  });
  assert.match(loris, /^HTTP\/1\.1 408|^closed$/);
  assert.ok(Date.now() - t0 < 3900, 'closed by the header timeout');
  const trickle = await raw(s.port, (k) => {
    k.write(
      'POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer key\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n',
    );
    const iv = setInterval(() => {
      if (!k.destroyed) k.write('{');
    }, 100);
    k.on('close', () => clearInterval(iv));
  });
  assert.match(trickle, /^HTTP\/1\.1 408|^closed$/);
});

test('connections dropped mid-request, and a garbage request line, leave the server serving', async () => {
  for (let i = 0; i < 20; i++) {
    await raw(
      s.port,
      (k) => {
        k.write(
          'POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer key\r\nContent-Length: 1000\r\n\r\n{"input": ["abc',
        );
        setTimeout(() => k.destroy(), 5);
      },
      500,
    );
  }
  const garbage = await raw(s.port, (k) => k.write('\x00\x01\x02 NOT HTTP\r\n\r\n'));
  assert.match(garbage, /^HTTP\/1\.1 400|^closed$/);
  const ok = await post('/v1/embeddings', '{"input": "still here"}');
  assert.equal(ok.status, 200);
  assert.equal((await fetch(`${s.url}/health`)).status, 200);
});

const rss = () => residentBytes(s.child.pid!);

test('no memory growth over repeated rounds of bad and good requests', async () => {
  const round = async () => {
    // a body over the limit is answered before it is all sent: the client may see the connection close (EPIPE)
    for (const [name, path, body] of CASES)
      await post(path, body)
        .then((r) => r.arrayBuffer())
        .catch((e: unknown) => {
          if (name !== 'body too large') throw e;
        });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post('/v1/embeddings', JSON.stringify({ input: [`text ${i}`, 'more text'] })).then((r) => r.arrayBuffer()),
      ),
    );
  };
  for (let i = 0; i < 3; i++) await round();
  const before = await rss();
  for (let i = 0; i < 10; i++) await round();
  const grew = (await rss()) - before;
  assert.ok(grew < 48 * 1024 * 1024, `RSS grew by ${(grew / 1048576).toFixed(1)} MiB over 10 rounds`);
});

test('SIGTERM: stops accepting, finishes the in-flight request, exits 0', async () => {
  const t = await start(['--request-timeout', '10']);
  const body = JSON.stringify({ input: 'finish me' });
  const reply = raw(
    t.port,
    (k) => {
      k.write(
        `POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer key\r\nContent-Type: ` +
          `application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
      );
      setTimeout(() => {
        t.child.kill('SIGTERM');
        setTimeout(() => k.write(body.slice(5)), 300);
      }, 100);
    },
    5000,
  );
  const got = await reply;
  assert.match(got, /^HTTP\/1\.1 200/);
  assert.match(got, /"object":"list"/);
  assert.equal(await t.exited, 0);
});

/** POST /v1/embeddings naming `model`: the status and the model the response names. */
async function embedWith(t: Running, model: string): Promise<{ status: number; model?: string; code?: string }> {
  const r = await fetch(`${t.url}/v1/embeddings`, {
    method: 'POST',
    headers: H,
    body: JSON.stringify({ input: 'a', model, dimensions: 8 }),
  });
  const body = (await r.json()) as { model?: string; error?: { code: string } };
  return {
    status: r.status,
    ...(body.model ? { model: body.model } : {}),
    ...(body.error ? { code: body.error.code } : {}),
  };
}

test('CLI: --model static-embed-default (as every command takes it) serves the embedded model, also as NAME=', async () => {
  const t = await start(['--model', 'static-embed-default', '--model', 'm2=static-embed-default', '--dim', '32']);
  try {
    const list = (await (await fetch(`${t.url}/v1/models`, { headers: H })).json()) as { data: Array<{ id: string }> };
    assert.deepEqual(
      list.data.map((m) => m.id),
      ['static-embed-default-v2', 'm2'],
    );
    // a request may name the embedded model by either of its names; the response names it as served
    for (const name of ['static-embed-default', 'static-embed-default-v2'])
      assert.deepEqual(await embedWith(t, name), { status: 200, model: 'static-embed-default-v2' }, name);
    assert.deepEqual(await embedWith(t, 'm2'), { status: 200, model: 'm2' });
    assert.deepEqual(await embedWith(t, 'static-embed-default-v1'), { status: 404, code: 'model_not_found' });
    const one = await fetch(`${t.url}/v1/models/static-embed-default`, { headers: H });
    assert.equal(((await one.json()) as { id: string }).id, 'static-embed-default-v2');
  } finally {
    t.child.kill('SIGTERM');
    assert.equal(await t.exited, 0);
  }
  // served under another NAME (given by its id): requests may still name it static-embed-default or by its id
  const named = await start(['--model', 'fast=static-embed-default-v2']);
  try {
    for (const name of ['fast', 'static-embed-default', 'static-embed-default-v2'])
      assert.deepEqual(await embedWith(named, name), { status: 200, model: 'fast' }, name);
  } finally {
    named.child.kill('SIGTERM');
    assert.equal(await named.exited, 0);
  }
});

test('CLI: several --model, named NAME=PATH, by Hub id or folder name; the embedded one by its name', async () => {
  const t = await start([
    '--model',
    `mini=${repoFile('models/default')}`,
    '--model',
    repoFile('models/default'),
    // a relative folder path shaped like a Hub id (models/default from the checkout): named by its folder
    '--model',
    relative(process.cwd(), repoFile('models/default')),
    '--dim',
    '64',
  ]);
  try {
    const list = (await (await fetch(`${t.url}/v1/models`, { headers: H })).json()) as { data: Array<{ id: string }> };
    assert.deepEqual(
      list.data.map((m) => m.id),
      ['mini', 'static-embed-default-v2', 'default'],
    );
    const r = (await (
      await fetch(`${t.url}/v1/embeddings`, {
        method: 'POST',
        headers: H,
        body: '{"input": "a", "model": "static-embed-default-v2", "encoding_format": "float"}',
      })
    ).json()) as { data: Array<{ embedding: number[] }> };
    assert.equal(r.data[0]!.embedding.length, 64);
  } finally {
    t.child.kill('SIGTERM');
    assert.equal(await t.exited, 0);
  }
});
