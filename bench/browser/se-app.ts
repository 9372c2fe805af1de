/**
 * The static-embed side of bench/browser.ts, bundled by it into an ordinary page: loads the model named in the
 * query string with StaticModel.fromPretrained, embeds one sentence (time to first embedding, from navigation
 * start), then the benchmark's sentences `repeats` times after one warm-up. Leaves `window.result`.
 */
import { StaticModel } from '../../src/browser.js';

const params = new URLSearchParams(location.search);
const w = window as unknown as { result?: unknown };

async function main(): Promise<void> {
  const model = await StaticModel.fromPretrained(params.get('model')!);
  model.encode(['The first sentence.']);
  const firstMs = performance.now();
  const texts = (await (await fetch('corpus.txt')).text()).split('\n').filter((l) => l !== '');
  const repeats = Number(params.get('repeats') ?? 5);
  model.encode(texts);
  const encodeMs: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    model.encode(texts);
    encodeMs.push(performance.now() - t);
  }
  const info = model.info();
  w.result = {
    firstMs,
    encodeMs,
    texts: texts.length,
    dim: info.dim,
    kernel: info.kernel,
    isolated: crossOriginIsolated,
  };
}

main().catch((e: unknown) => {
  w.result = { error: String((e as Error)?.stack ?? e) };
});
