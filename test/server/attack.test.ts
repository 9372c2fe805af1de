/**
 * The server (the CLI, in a child process, real sockets on loopback) against slow and hostile clients, with its
 * resident memory sampled from /proc: idle connections beyond the connection limit, slow request bodies, slow
 * readers of large responses, a pipelining slow reader, and SIGTERM while large responses are being sent.
 * Timeouts are short (headers 1 s, request 2 s, write 2 s) and the memory budget 64 MiB, so the suite is quick.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { requestTo } from '../helpers/request.js';
import { repoFile } from '../helpers/shared.js';
import {
  CHILD_OPEN_FILES,
  openFilesLimit,
  raw,
  residentBytes,
  startServer,
  type RunningChild,
} from '../helpers/server.js';

const MiB = 2 ** 20;
const BUDGET = 64 * MiB;
const HEADERS_TIMEOUT_MS = 1000,
  REQUEST_TIMEOUT_MS = 2000,
  WRITE_TIMEOUT_MS = 2000;
const ARGS = [
  '--workers',
  '1',
  '--serializers',
  '1',
  '--quiet',
  '--max-memory-bytes',
  String(BUDGET),
  '--headers-timeout',
  String(HEADERS_TIMEOUT_MS / 1000),
  '--request-timeout',
  String(REQUEST_TIMEOUT_MS / 1000),
  '--write-timeout',
  String(WRITE_TIMEOUT_MS / 1000),
];
/** a 10 KB request whose float response is ≈ 11 MB */
const HUGE = JSON.stringify({ input: Array.from({ length: 2048 }, () => 'a'), encoding_format: 'float' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let s: RunningChild;
before(async () => {
  s = await startServer(ARGS);
});
after(async () => {
  s.child.kill('SIGKILL');
  await s.exited;
});

/** Samples the server's RSS every 50 ms while `f` runs; the peak growth over the RSS before. */
/** `send(path, init)`: a request to the shared server (test/helpers/request.ts). */
const send = requestTo(() => s);

async function peakGrowth<T>(f: () => Promise<T>): Promise<{ result: T; grew: number; base: number }> {
  const base = residentBytes(s.child.pid!);
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, residentBytes(s.child.pid!));
  }, 50);
  try {
    const result = await f();
    return { result, grew: peak - base, base };
  } finally {
    clearInterval(timer);
  }
}

async function gauge(name: string): Promise<number> {
  const m = await (await send('/metrics')).text();
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(m)![1]);
}

/** Waits (at most `ms`) until the memory budget and the requests in flight are back to zero. */
async function freedWithin(ms: number): Promise<number> {
  const t0 = Date.now();
  while (
    (await gauge('static_embed_memory_budget_used_bytes')) > 0 ||
    (await gauge('static_embed_requests_in_flight')) > 1
  ) {
    assert.ok(Date.now() - t0 < ms, `memory budget not freed within ${ms} ms`);
    await sleep(100);
  }
  return Date.now() - t0;
}

function request(body: string): string {
  return `POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** Opens a socket that writes `data` and never reads. */
function nonReader(data: string | Buffer): Promise<Socket> {
  return new Promise((resolve) => {
    const k = connect(s.port, '127.0.0.1');
    k.on('error', () => undefined);
    k.on('connect', () => {
      k.pause();
      k.write(data);
      resolve(k);
    });
  });
}

test('the open-files limit: the server child may hold 1,100 connections', () => {
  // the child is started through `ulimit -n` (test/helpers/server.ts); the hard limit must allow it
  assert.ok(
    openFilesLimit(s.child.pid!) >= 1200,
    `the server's open-files limit is ${openFilesLimit(s.child.pid!)}; raise the hard limit (ulimit -Hn) to ${CHILD_OPEN_FILES}`,
  );
});

test('1,100 idle connections: /health answers within 1 s of the header timeout', async () => {
  const clients = spawn(
    '/bin/sh',
    [
      '-c',
      `ulimit -n ${CHILD_OPEN_FILES} 2>/dev/null; exec "$0" "$@"`,
      process.execPath,
      repoFile('dist/test/helpers/idle-clients.js'),
      String(s.port),
      '1100',
      '15000',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let state = { settled: 0, connected: 0, closed: 0 };
  createInterface({ input: clients.stdout! }).on('line', (l) => {
    state = JSON.parse(l) as typeof state;
  });
  const until = async (ok: () => boolean, ms: number, what: string) => {
    for (const t0 = Date.now(); !ok(); await sleep(20)) assert.ok(Date.now() - t0 < ms, what);
  };
  const { result, grew } = await peakGrowth(async () => {
    await until(() => state.settled === 1100, 10_000, 'the 1,100 connections were not opened');
    const t0 = Date.now();
    assert.ok(state.connected >= 1024, `${state.connected} connections`);
    // meanwhile every slot is taken: /health is refused until the header timeout frees them
    let answeredAt = 0;
    while (!answeredAt) {
      const ok = await send('/health', { signal: AbortSignal.timeout(300) }).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) answeredAt = Date.now();
      else await sleep(25);
      assert.ok(Date.now() - t0 < HEADERS_TIMEOUT_MS + 5000, '/health never answered');
    }
    // and the idle connections are closed (not half-closed: the server's side is gone)
    await until(() => state.closed >= 1024, 3000, `only ${state.closed} idle connections were closed`);
    return { answeredMs: answeredAt - t0, closed: state.closed };
  });
  clients.kill();
  assert.ok(
    result.answeredMs <= HEADERS_TIMEOUT_MS + 1000,
    `/health answered ${result.answeredMs} ms after the connections were opened`,
  );
  assert.ok(result.closed >= 1024, `the server closed ${result.closed} idle connections`);
  assert.ok(grew < BUDGET + 64 * MiB, `RSS grew ${(grew / MiB).toFixed(0)} MiB`);
});

test('slow bodies (48 × 4 MiB, then silence): bounded, freed by the request timeout', async () => {
  const body = Buffer.alloc(4 * MiB - 64 * 1024, 'a'.charCodeAt(0));
  const head = `POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${4 * MiB}\r\n\r\n{"input": "`;
  const { result: sockets, grew } = await peakGrowth(async () => {
    const ks = await Promise.all(Array.from({ length: 48 }, () => nonReader(Buffer.concat([Buffer.from(head), body]))));
    await sleep(REQUEST_TIMEOUT_MS + 1000);
    return ks;
  });
  assert.ok(grew < BUDGET + 64 * MiB, `RSS grew ${(grew / MiB).toFixed(0)} MiB (budget ${BUDGET / MiB} MiB)`);
  const ms = await freedWithin(REQUEST_TIMEOUT_MS + 2000);
  for (const k of sockets) k.destroy();
  assert.equal((await send('/health')).status, 200);
  console.log(`slow bodies: RSS +${(grew / MiB).toFixed(0)} MiB at the peak; budget free ${ms} ms after`);
});

test('slow readers (60 × 11 MB, never read): bounded, freed by the write timeout', async () => {
  // RSS peaks are noisy (garbage not yet collected counts too): a round over the limit is run again (twice at most),
  // and the limit must hold in the last round; every round must free the budget within the write timeout
  const round = async () => {
    const { result: sockets, grew } = await peakGrowth(async () => {
      const ks = await Promise.all(Array.from({ length: 60 }, () => nonReader(request(HUGE))));
      await sleep(WRITE_TIMEOUT_MS + 1500);
      return ks;
    });
    const ms = await freedWithin(WRITE_TIMEOUT_MS + 3000);
    for (const k of sockets) k.destroy();
    console.log(`slow readers: RSS +${(grew / MiB).toFixed(0)} MiB at the peak; budget free ${ms} ms after`);
    return grew;
  };
  let grew = await round();
  for (let retry = 0; retry < 2 && grew >= BUDGET + 64 * MiB; retry++) grew = await round();
  assert.ok(grew < BUDGET + 64 * MiB, `RSS grew ${(grew / MiB).toFixed(0)} MiB (budget ${BUDGET / MiB} MiB)`);
  const ok = await send('/v1/embeddings', { method: 'POST', body: '{"input": "still serving"}' });
  assert.equal(ok.status, 200);
});

describe('pipelining', () => {
  test('a slow reader gets one response at a time, bounded (over 16 waiting: closed)', async () => {
    const { result: sockets, grew } = await peakGrowth(async () => {
      const twelve = await nonReader(Array.from({ length: 12 }, () => request(HUGE)).join(''));
      const sixty = await nonReader(Array.from({ length: 60 }, () => request(HUGE)).join(''));
      await sleep(WRITE_TIMEOUT_MS + 1500);
      return [twelve, sixty];
    });
    assert.ok(grew < 64 * MiB, `RSS grew ${(grew / MiB).toFixed(0)} MiB`);
    // freed once the write timeout has closed the socket and the answer being made is done: seconds, not a leak, on
    // a loaded 2-core machine (seen once in CI at over 5 s)
    await freedWithin(WRITE_TIMEOUT_MS + 10_000);
    for (const k of sockets) k.destroy();
  });

  test('pipelined requests that are read get every answer, in order', async () => {
    // pipelined requests that are read: every answer, in order
    const three = ['one', 'two', 'three']
      .map((t) => request(JSON.stringify({ input: t, encoding_format: 'float' })))
      .join('');
    const got = await raw(s.port, (k) => k.write(three), 3000);
    assert.equal(got.match(/HTTP\/1\.1 200/g)?.length, 3, got.slice(0, 300));
  });
});

test('SIGTERM while six 11 MB responses are sent: each arrives whole, then exit 0', async () => {
  const t = await startServer(['--workers', '1', '--serializers', '1', '--quiet']);
  const base = residentBytes(t.child.pid!);
  let peak = base;
  const sampler = setInterval(() => {
    try {
      peak = Math.max(peak, residentBytes(t.child.pid!));
    } catch {
      /* exited */
    }
  }, 50);
  let started = 0,
    signalled = false;
  const bodies = Array.from(
    { length: 6 },
    () =>
      new Promise<Buffer>((resolve, reject) => {
        const k = connect(t.port, '127.0.0.1');
        const chunks: Buffer[] = [];
        let first = true;
        k.on('data', (d: Buffer) => {
          chunks.push(d);
          if (first) {
            first = false;
            if (++started === 6 && !signalled) {
              signalled = true;
              t.child.kill('SIGTERM');
            }
          }
          // a slow reader: a pause after every chunk
          k.pause();
          setTimeout(() => k.resume(), 2);
        });
        k.on('error', reject);
        k.on('close', () => resolve(Buffer.concat(chunks)));
        k.on('connect', () => k.write(request(HUGE)));
      }),
  );
  const got = await Promise.all(bodies);
  const code = await t.exited;
  clearInterval(sampler);
  for (const b of got) {
    const text = b.toString('latin1');
    const split = text.indexOf('\r\n\r\n');
    assert.match(text.slice(0, split), /^HTTP\/1\.1 200/);
    assert.match(text.slice(0, split), /connection: close|Connection: close|transfer-encoding: chunked/i);
    const payload = dechunk(b.subarray(split + 4));
    const j = JSON.parse(payload.toString('utf8')) as { data: unknown[] };
    assert.equal(j.data.length, 2048);
  }
  assert.equal(code, 0);
  assert.ok(peak - base < BUDGET + 64 * MiB, `RSS grew ${((peak - base) / MiB).toFixed(0)} MiB`);
});

/** The body of a chunked HTTP/1.1 response. */
function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', at);
    assert.ok(eol > 0, 'truncated chunked body');
    const size = parseInt(b.subarray(at, eol).toString('latin1'), 16);
    if (size === 0) return Buffer.concat(out);
    assert.ok(eol + 2 + size + 2 <= b.length, 'truncated chunked body');
    out.push(b.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

test('a second signal exits at once, even with a response still being sent', async () => {
  const t = await startServer(['--workers', '1', '--serializers', '1', '--quiet']);
  const k = await new Promise<Socket>((resolve) => {
    const c = connect(t.port, '127.0.0.1');
    c.on('error', () => undefined);
    c.once('data', () => resolve(c));
    c.on('connect', () => c.write(request(HUGE) + request(HUGE)));
  });
  // 22 MB asked for (more than the socket buffers hold) and the client stops reading: the first SIGTERM waits for the response, the second does not
  k.pause();
  t.child.kill('SIGTERM');
  await sleep(300);
  assert.equal(t.child.exitCode, null, 'still delivering after the first signal');
  const t0 = Date.now();
  t.child.kill('SIGTERM');
  assert.equal(await t.exited, 143);
  assert.ok(Date.now() - t0 < 2000);
  k.destroy();
});

test('after a connection closed for pipelining too much, SIGTERM exits at once', async () => {
  const t = await startServer(['--workers', '1', '--serializers', '1', '--quiet']);
  const tiny = JSON.stringify({ input: 'x' });
  const got = await raw(t.port, (k) => k.write(Array.from({ length: 40 }, () => request(tiny)).join('')), 3000);
  assert.ok((got.match(/HTTP\/1\.1 200/g)?.length ?? 0) < 40, 'closed before answering all 40');
  const t0 = Date.now();
  t.child.kill('SIGTERM');
  assert.equal(await t.exited, 0);
  assert.ok(Date.now() - t0 < 3000, `exit took ${Date.now() - t0} ms (grace 10 s)`);
});
