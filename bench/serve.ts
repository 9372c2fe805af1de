/**
 * Load test of `static-embed serve` on loopback (autocannon): single-sentence and 32-sentence POST /v1/embeddings
 * for --duration seconds at several concurrency levels — req/s, texts/s, p50/p99 latency, errors — while a probe
 * times GET /health every 50 ms (from its own process); then a soak of --soak seconds sampling the server's RSS. Default model, server
 * with --workers encoding threads (default 1: the load generator takes the other core of this 2-core machine). Writes the "serve" section.
 *
 * node dist/bench/serve.js [--duration 30] [--soak 60] [--connections 1,16,64] [--workers 1]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { setPriority } from 'node:os';
import type { Result } from 'autocannon';
import { machine, median, option, repoRoot, writeSection } from './lib.js';

const duration = Number(option('duration', '30')),
  soak = Number(option('soak', '60'));
const levels = option('connections', '1,16,64')!.split(',').map(Number);
const workers = option('workers', '1')!;
// the bin as users run it (`npx static-embed serve`): its shebang's V8 flags apply
const child = spawn(`${repoRoot()}/bin/static-embed.js`, ['serve', '--port', '0', '--workers', workers, '--quiet'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise<string>((resolve) =>
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const e = JSON.parse(l) as { msg: string; url: string };
    if (e.msg === 'ready') resolve(e.url);
  }),
);

const words =
  'the quick brown fox jumps over a lazy dog while seven bright stars shine above quiet northern hills'.split(' ');
const sentence = (i: number) => Array.from({ length: 12 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
const one = JSON.stringify({ input: sentence(1), encoding_format: 'float' });
const many = JSON.stringify({ input: Array.from({ length: 32 }, (_, i) => sentence(i)), encoding_format: 'float' });

async function rss(): Promise<number> {
  const m = await (await fetch(`${url}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\d+)$/m.exec(m)![1]) / 2 ** 20;
}

/** /health latencies (ms), probed every 50 ms for `seconds` by a separate process (bench/health-probe.ts). */
function probe(seconds: number): Promise<number[]> {
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
function load(connections: number, seconds: number, body: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        `${repoRoot()}/node_modules/autocannon/autocannon.js`,
        '-c',
        String(connections),
        '-d',
        String(seconds),
        '-m',
        'POST',
        '-H',
        'content-type: application/json',
        '-b',
        body,
        '--json',
        `${url}/v1/embeddings`,
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
const rows: string[] = [];
await load(8, 3, many); // warm-up
for (const [name, body, n] of [
  ['1 sentence', one, 1],
  ['32 sentences', many, 32],
] as const) {
  for (const c of levels) {
    const run = load(c, duration, body);
    await new Promise((r) => setTimeout(r, 1000));
    const health = await probe(duration - 2);
    const r = await run;
    const errors = r.errors + r.timeouts + r.non2xx;
    const line = `| ${name} | ${c} | ${Math.round(r.requests.average).toLocaleString('en-US')} | ${Math.round(r.requests.average * n).toLocaleString('en-US')} | ${r.latency.p50} | ${r.latency.p99} | ${errors} | ${median(health).toFixed(1)} / ${pct(health, 0.99).toFixed(1)} |`;
    console.log(line);
    rows.push(line);
  }
}
const samples: number[] = [await rss()];
const soakRun = load(16, soak, many);
const sampler = (async () => {
  for (let t = 0; t < soak; t += 5) {
    await new Promise((r) => setTimeout(r, 5000));
    samples.push(await rss());
  }
})();
const soaked = await soakRun;
await sampler;
child.kill('SIGTERM');
const body = [
  `POST /v1/embeddings (float) on loopback, default model (256 dims), server \`static-embed serve --workers ${workers}\` (run as \`npx\` runs it: bin/static-embed.js with its shebang's V8 flags) and autocannon (its own process, at nice 10) on the same machine; ${duration} s per row; /health probed every 50 ms during each row by a separate process. ${machine()}.`,
  '',
  '| request | connections | req/s | texts/s | p50 ms | p99 ms | errors | /health p50 / p99 ms |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...rows,
  '',
  `Soak: ${soak} s of 32-sentence requests at 16 connections (${Math.round(soaked.requests.average).toLocaleString('en-US')} req/s, ${soaked.errors + soaked.timeouts + soaked.non2xx} errors); server RSS every 5 s: ${samples.map((m) => m.toFixed(0)).join(', ')} MiB.`,
  '',
  `Command: \`node dist/bench/serve.js --duration ${duration} --soak ${soak} --connections ${levels.join(',')} --workers ${workers}\``,
].join('\n');
console.log(body);
writeSection('serve', body);
