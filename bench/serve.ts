/**
 * Load test of `static-embed serve` on loopback (autocannon): single-sentence and 32-sentence POST /v1/embeddings
 * for --duration seconds at several concurrency levels — req/s, texts/s, p50/p99 latency, errors — while a probe
 * times GET /health every 50 ms (from its own process); then a soak of --soak seconds sampling the server's RSS
 * (from /proc). Default model, server with --workers encoding threads (default 1: the load generator takes the
 * other core of this 2-core machine). With --peer DIR (another checkout, built: e.g. main before a change), that
 * server is measured by the same script in the same run, row by row, the order alternating, and the table gives
 * this/peer ratios. Writes the "serve" section.
 *
 * node dist/bench/serve.js [--duration 30] [--soak 60] [--connections 1,16,64] [--workers 1] [--peer DIR]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { setPriority } from 'node:os';
import type { Result } from 'autocannon';
import { machine, median, option, repoRoot, writeSection } from './lib.js';

const duration = Number(option('duration', '30')),
  soak = Number(option('soak', '60'));
const levels = option('connections', '1,16,64')!.split(',').map(Number);
const workers = option('workers', '1')!;
const peerDir = option('peer', undefined);

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
}

/** The bin as users run it (`npx static-embed serve`): its launcher's V8 flags apply. */
async function start(root: string, name: string): Promise<Server> {
  const child = spawn(`${root}/bin/static-embed.js`, ['serve', '--port', '0', '--workers', workers, '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const e = JSON.parse(l) as { msg: string; url: string };
      if (e.msg === 'ready') resolve(e.url);
    }),
  );
  return { name, child, url };
}

const words =
  'the quick brown fox jumps over a lazy dog while seven bright stars shine above quiet northern hills'.split(' ');
const sentence = (i: number) => Array.from({ length: 12 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
const one = JSON.stringify({ input: sentence(1), encoding_format: 'float' });
const many = JSON.stringify({ input: Array.from({ length: 32 }, (_, i) => sentence(i)), encoding_format: 'float' });

/** The server's resident memory (MiB) from /proc (the launcher execs node, so the child's pid is the server's). */
function rss(s: Server): number {
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${s.child.pid}/status`, 'utf8'))![1]) / 1024;
}

/** /health latencies (ms), probed every 50 ms for `seconds` by a separate process (bench/health-probe.ts). */
function probe(url: string, seconds: number): Promise<number[]> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [`${repoRoot()}/dist/bench/health-probe.js`, url, String(seconds)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    p.on('close', () => resolve(JSON.parse(out) as number[]));
  });
}

/**
 * autocannon in its own process at lower CPU priority (nice 10): the load generator shares this machine's cores,
 * and should take what the server leaves rather than preempt it (as if it ran on another machine).
 */
function load(url: string, connections: number, seconds: number, body: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        `${repoRoot()}/node_modules/autocannon/autocannon.js`,
        ...['-c', String(connections), '-d', String(seconds), '-m', 'POST', '-H', 'content-type: application/json'],
        ...['-b', body, '--json', `${url}/v1/embeddings`],
      ],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    try {
      setPriority(p.pid!, 10);
    } catch {
      /* not permitted here: equal priority */
    }
    let out = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    p.on('close', () => {
      try {
        resolve(JSON.parse(out) as Result);
      } catch (e) {
        reject(e as Error);
      }
    });
  });
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
};
const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

const self = await start(repoRoot(), 'this');
const peer = peerDir ? await start(peerDir, 'peer') : undefined;
const servers = peer ? [self, peer] : [self];
for (const s of servers) await load(s.url, 8, 3, many); // warm-up

const rows: string[] = [];
let turn = 0;
for (const [name, body, n] of [
  ['1 sentence', one, 1],
  ['32 sentences', many, 32],
] as const) {
  for (const c of levels) {
    const got = new Map<Server, { rps: number; line: string }>();
    // the order alternates row by row, so neither server always runs first
    for (const s of turn++ % 2 ? [...servers].reverse() : servers) {
      const run = load(s.url, c, duration, body);
      await new Promise((r) => setTimeout(r, 1000));
      const health = await probe(s.url, duration - 2);
      const r = await run;
      const errors = r.errors + r.timeouts + r.non2xx;
      const cells =
        `${fmt(r.requests.average)} | ${fmt(r.requests.average * n)} | ${r.latency.p50} | ` +
        `${r.latency.p99} | ${errors} | ${median(health).toFixed(1)} / ${pct(health, 0.99).toFixed(1)}`;
      got.set(s, { rps: r.requests.average, line: cells });
    }
    const mine = got.get(self)!;
    const line = peer
      ? `| ${name} | ${c} | ${mine.line} | ${got.get(peer)!.line} | ${(mine.rps / got.get(peer)!.rps).toFixed(2)}× |`
      : `| ${name} | ${c} | ${mine.line} |`;
    console.log(line);
    rows.push(line);
  }
}
peer?.child.kill('SIGTERM');
const samples: number[] = [rss(self)];
const soakRun = load(self.url, 16, soak, many);
const sampler = (async () => {
  for (let t = 0; t < soak; t += 5) {
    await new Promise((r) => setTimeout(r, 5000));
    samples.push(rss(self));
  }
})();
const soaked = await soakRun;
await sampler;
self.child.kill('SIGTERM');
const cols = 'req/s | texts/s | p50 ms | p99 ms | errors | /health p50 / p99 ms';
const header = peer
  ? [
      `| request | connections | ${cols} | peer ${cols.replace(/ \| /g, ' | peer ')} | req/s this / peer |`,
      `|---|---:|${'---:|'.repeat(12)}---:|`,
    ]
  : [`| request | connections | ${cols} |`, `|---|---:|${'---:|'.repeat(6)}`];
const body = [
  `POST /v1/embeddings (float) on loopback, default model (256 dims), server \`static-embed serve ` +
    `--workers ${workers}\` (run as \`npx\` runs it: bin/static-embed.js with its launcher's ` +
    (`V8 flags) and autocannon (its own process, at nice 10) on the same machine; ${duration} s ` +
      `per row; /health probed every 50 ms during each row by a separate process. ${machine()}.`) +
    (peer
      ? ` Peer: the server of another checkout (\`--peer\`, here main before the slow-client work of issue 16), measured in the same run, ` +
        `row by row, the order alternating; the machine is shared with other jobs, so compare the ratios rather than the absolute figures.`
      : ''),
  '',
  ...header,
  ...rows,
  '',
  `Soak: ${soak} s of 32-sentence requests at 16 connections (${fmt(soaked.requests.average)} req/s, ` +
    `${soaked.errors + soaked.timeouts + soaked.non2xx} errors); server RSS every 5 s: ${samples.map((m) => m.toFixed(0)).join(', ')} MiB.`,
  '',
  `Command: \`node dist/bench/serve.js --duration ${duration} --soak ${soak} ` +
    `--connections ${levels.join(',')} --workers ${workers}${peer ? ' --peer DIR' : ''}\``,
].join('\n');
console.log(body);
writeSection('serve', body);
