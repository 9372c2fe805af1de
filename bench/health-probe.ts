/**
 * GET URL/health every 50 ms for SECONDS seconds, then prints the latencies (ms) as JSON — run as its own
 * process by bench/serve.ts, so the load generator's event loop does not delay the probe.
 *
 * node dist/bench/health-probe.js URL SECONDS
 */
const [url, seconds] = [process.argv[2]!, Number(process.argv[3])];
const end = performance.now() + seconds * 1000;
const times: number[] = [];
while (performance.now() < end) {
  const t0 = performance.now();
  const r = await fetch(`${url}/health`);
  await r.arrayBuffer();
  times.push(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 50));
}
console.log(JSON.stringify(times));
