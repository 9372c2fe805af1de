// The transformers.js peer of bench/cold-start.ts: one cold process that imports @huggingface/transformers and
// onnxruntime-node, loads the tokenizer and the EmbeddingBag ONNX export, embeds two texts; prints one JSON object.
// node bench/peers/transformersjs-cold.mjs --model ONNX_DIR
const { AutoTokenizer, env } = await import('@huggingface/transformers');
const { default: ort } = await import('onnxruntime-node');
const { basename, dirname } = await import('node:path');
const t1 = performance.now();
const dir = process.argv[process.argv.indexOf('--model') + 1];
env.allowRemoteModels = false;
env.localModelPath = dirname(dir) + '/';
const tok = await AutoTokenizer.from_pretrained(basename(dir));
const session = await ort.InferenceSession.create(`${dir}/model.onnx`, { intraOpNumThreads: 1, interOpNumThreads: 1 });
const t2 = performance.now();
const ids = [],
  offsets = [];
for (const t of ['a', 'b']) {
  offsets.push(ids.length);
  for (const x of tok.encode(t, { add_special_tokens: false })) ids.push(x);
}
await session.run({
  input_ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [ids.length]),
  offsets: new ort.Tensor('int64', BigInt64Array.from(offsets, BigInt), [offsets.length]),
});
const t3 = performance.now();
const s = (ms) => ms / 1000;
console.log(
  JSON.stringify({
    import_s: s(t1),
    load_s: s(t2 - t1),
    first_s: s(t3 - t2),
    total_s: s(t3),
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  }),
);
