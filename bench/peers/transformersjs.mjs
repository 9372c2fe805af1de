// The transformers.js peer: @huggingface/transformers' tokenizer + onnxruntime-node (its Node backend) running
// the EmbeddingBag ONNX export of the same model (scripts/export-onnx.py). Prints one JSON object.
// node bench/peers/transformersjs.mjs --model ONNX_DIR --corpus FILE [--threads T] [--repeats N] [--batch-size B]
import { AutoTokenizer, env } from '@huggingface/transformers';
import ort from 'onnxruntime-node';
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

const arg = (k, d) => { const i = process.argv.indexOf(`--${k}`); return i >= 0 ? process.argv[i + 1] : d; };
const dir = arg('model'), corpus = arg('corpus');
const threads = Number(arg('threads', '1')), repeats = Number(arg('repeats', '5')), batch = Number(arg('batch-size', '2048'));
const lines = readFileSync(corpus, 'utf8').split('\n');
if (lines[lines.length - 1] === '') lines.pop();
const t0 = performance.now();
env.allowRemoteModels = false;
env.localModelPath = dirname(dir) + '/';
const tok = await AutoTokenizer.from_pretrained(basename(dir));
const session = await ort.InferenceSession.create(`${dir}/model.onnx`, { intraOpNumThreads: threads, interOpNumThreads: 1 });
const loadS = (performance.now() - t0) / 1000;

async function run() {
  let rows = 0;
  for (let i = 0; i < lines.length; i += batch) {
    const texts = lines.slice(i, i + batch);
    const ids = [], offsets = [];
    for (const t of texts) { offsets.push(ids.length); for (const x of tok.encode(t, { add_special_tokens: false })) ids.push(x); }
    const out = await session.run({
      input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [ids.length]),
      offsets: new ort.Tensor('int64', BigInt64Array.from(offsets, BigInt), [offsets.length]),
    });
    rows += out.embeddings.dims[0];
  }
  return rows;
}
await run();
const xs = [];
for (let r = 0; r < repeats; r++) { const t = performance.now(); await run(); xs.push((performance.now() - t) / 1000); }
xs.sort((a, b) => a - b);
const med = xs.length % 2 ? xs[xs.length >> 1] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
const stats = { threads, load_s: loadS, median_s: med, min_s: xs[0], max_s: xs[xs.length - 1], lines_per_s: lines.length / med };
console.log(JSON.stringify({ ...stats, peak_rss_mb: peakRssMb }));
