/**
 * Load test of `static-embed serve` on loopback (autocannon): single-sentence and 32-sentence POST /v1/embeddings
 * for --duration seconds at several concurrency levels — req/s, texts/s, p50/p99 latency, errors — while a probe
 * times GET /health every 50 ms; then a soak of --soak seconds sampling the server's RSS. Default model, server
 * with 2 encoding workers, on the same 2-core machine as the load generator. Writes the "serve" section.
 *
 * node dist/bench/serve.js [--duration 30] [--soak 60] [--connections 1,16,64]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { machine, median, option, repoRoot, writeSection } from './lib.js';

const duration = Number(option('duration', '30')), soak = Number(option('soak', '60'));
const levels = option('connections', '1,16,64')!.split(',').map(Number);
const child = spawn(process.execPath, [`${repoRoot()}/bin/static-embed.js`, 'serve', '--port', '0', '--workers', '2', '--quiet'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).on('line', (l) => { const e = JSON.parse(l) as { msg: string; url: string }; if (e.msg === 'ready') resolve(e.url); }));

const words = 'the quick brown fox jumps over a lazy dog while seven bright stars shine above quiet northern hills'.split(' ');
const sentence = (i: number) => Array.from({ length: 12 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
const one = JSON.stringify({ input: sentence(1), encoding_format: 'float' });
const many = JSON.stringify({ input: Array.from({ length: 32 }, (_, i) => sentence(i)), encoding_format: 'float' });

async function rss(): Promise<number> {
  const m = await (await fetch(`${url}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\d+)$/m.exec(m)![1]) / 2 ** 20;
}

/** /health latencies (ms) sampled every 50 ms until `stop` resolves. */
async function probe(stop: Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  let done = false;
  void stop.then(() => { done = true; });
  while (!done) {
    const t0 = performance.now();
    const r = await fetch(`${url}/health`);
    await r.arrayBuffer();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  return times;
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]!; };
const rows: string[] = [];
await autocannon({ url: `${url}/v1/embeddings`, connections: 8, duration: 3, method: 'POST', headers: { 'content-type': 'application/json' }, body: many }); // warm-up
for (const [name, body, n] of [['1 sentence', one, 1], ['32 sentences', many, 32]] as const) {
  for (const c of levels) {
    const run = autocannon({ url: `${url}/v1/embeddings`, connections: c, duration, method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const health = await probe(run);
    const r = await run;
    const errors = r.errors + r.timeouts + r.non2xx;
    const line = `| ${name} | ${c} | ${Math.round(r.requests.average).toLocaleString('en-US')} | ${Math.round(r.requests.average * n).toLocaleString('en-US')} | ${r.latency.p50} | ${r.latency.p99} | ${errors} | ${median(health).toFixed(1)} / ${pct(health, 0.99).toFixed(1)} |`;
    console.log(line);
    rows.push(line);
  }
}
const samples: number[] = [await rss()];
const soakRun = autocannon({ url: `${url}/v1/embeddings`, connections: 16, duration: soak, method: 'POST', headers: { 'content-type': 'application/json' }, body: many });
const sampler = (async () => { for (let t = 0; t < soak; t += 5) { await new Promise((r) => setTimeout(r, 5000)); samples.push(await rss()); } })();
const soaked = await soakRun;
await sampler;
child.kill('SIGTERM');
const body = [`POST /v1/embeddings (float) on loopback, default model (256 dims), server \`static-embed serve --workers 2\` and autocannon on the same machine; ${duration} s per row; /health probed every 50 ms during each row. ${machine()}.`, '',
  '| request | connections | req/s | texts/s | p50 ms | p99 ms | errors | /health p50 / p99 ms |', '|---|---:|---:|---:|---:|---:|---:|---:|', ...rows, '',
  `Soak: ${soak} s of 32-sentence requests at 16 connections (${Math.round(soaked.requests.average).toLocaleString('en-US')} req/s, ${soaked.errors + soaked.timeouts + soaked.non2xx} errors); server RSS every 5 s: ${samples.map((m) => m.toFixed(0)).join(', ')} MiB.`, '',
  `Command: \`node dist/bench/serve.js --duration ${duration} --soak ${soak} --connections ${levels.join(',')}\``].join('\n');
console.log(body);
writeSection('serve', body);
