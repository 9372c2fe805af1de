/* global window, location, crossOriginIsolated */
// The transformers.js peer of bench/browser.ts, bundled by it into an ordinary page: @huggingface/transformers'
// tokenizer + onnxruntime-web (WebAssembly) running the EmbeddingBag ONNX export of the same model
// (scripts/export-onnx.py) — what bench/peers/transformersjs.mjs runs in Node. Same protocol as
// bench/browser/se-app.ts: time to first embedding from navigation start, then the sentences `repeats` times.
import { AutoTokenizer, env } from '@huggingface/transformers';
import * as ort from 'onnxruntime-web';

const params = new URLSearchParams(location.search);
const name = params.get('model');

async function main() {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = '/models/'; // a path: transformers.js treats a full URL as a remote file
  ort.env.wasm.wasmPaths = new URL('ort/', location.href).href;
  ort.env.wasm.numThreads = 1;
  const tok = await AutoTokenizer.from_pretrained(name);
  const session = await ort.InferenceSession.create(`models/${name}/model.onnx`, { executionProviders: ['wasm'] });
  const embed = async (texts) => {
    const ids = [], offsets = [];
    for (const t of texts) {
      offsets.push(ids.length);
      for (const x of tok.encode(t, { add_special_tokens: false })) ids.push(x);
    }
    const out = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [ids.length]),
      offsets: new ort.Tensor('int64', BigInt64Array.from(offsets, BigInt), [offsets.length]),
    });
    return out.embeddings;
  };
  await embed(['The first sentence.']);
  const firstMs = performance.now();
  const texts = (await (await fetch('corpus.txt')).text()).split('\n').filter((l) => l !== '');
  const repeats = Number(params.get('repeats') ?? 5);
  const e = await embed(texts);
  const encodeMs = [];
  for (let r = 0; r < repeats; r++) {
    const t = performance.now();
    await embed(texts);
    encodeMs.push(performance.now() - t);
  }
  window.result = { firstMs, encodeMs, texts: texts.length, dim: e.dims[1], kernel: 'onnxruntime-web wasm', isolated: crossOriginIsolated };
}

main().catch((e) => {
  window.result = { error: String(e?.stack ?? e) };
});
