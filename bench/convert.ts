/**
 * Conversion loss: for --dim 256/128/64/32 × --dtype float16/int8 of the 1024-d benchmark model, the cosine between
 * each corpus line's embedding from the converted model and from the original at the same dimension (mean, p1,
 * min over the lines with tokens), and the size of the table. Writes the "convert" section of bench/RESULTS.md.
 *
 * node dist/bench/convert.js [--models DIR]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StaticModel, modelFiles, pairwiseSimilarity, type SaveDtype } from '../src/node.js';
import { machine, option, repoRoot, writeSection } from './lib.js';

const root = repoRoot();
const models = option('models', '/tmp/bench-models')!;
const lines = readFileSync(join(root, '..', 'shared', 'corpus', 'bench-corpus.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);
const rows: string[] = [];
for (const dim of [256, 128, 64, 32]) {
  const original = await StaticModel.fromPretrained(join(models, 'st-mbert-1024d-f32'), { truncateDim: dim });
  const a = original.encode(lines, { workers: 2 });
  for (const dtype of ['float16', 'int8'] as SaveDtype[]) {
    const files = modelFiles(original, { dtype });
    const converted = StaticModel.fromBytes(files);
    const cos = pairwiseSimilarity(a, converted.encode(lines, { workers: 2 }));
    const kept = Float64Array.from(Array.from(cos).filter((_, i) => a.row(i).some((x) => x !== 0))).sort();
    let sum = 0;
    for (const x of kept) sum += x;
    const size = files.get('0_StaticEmbedding/model.safetensors')!.length;
    rows.push(
      `| ${dim} | ${dtype} | ${(size / 1e6).toFixed(1)} MB | ${(sum / kept.length).toFixed(6)} ` +
        `| ${kept[Math.floor(0.01 * (kept.length - 1))]!.toFixed(6)} | ${kept[0]!.toFixed(6)} |`,
    );
    console.log(rows[rows.length - 1]);
    await converted.close();
  }
  await original.close();
}
const body = `## Conversion loss (issue 7)

Command: \`npm run build && node dist/bench/convert.js --models ${models}\`. Machine: ${machine()}. Date: ${new Date().toISOString().slice(0, 10)}.
The 1024-d float32 benchmark model truncated to each dimension, stored as float16 or int8 (per-row scales), against
the same truncation in float32: cosine of the two embeddings of each of the ${lines.length.toLocaleString('en-US')} non-empty benchmark-corpus lines.
(The cost of the truncation itself is the Matryoshka curve of \`static-embed eval\`.)

| dim | dtype | table file | mean cosine | p1 | min |
|---:|---|---:|---:|---:|---:|
${rows.join('\n')}`;
console.log('wrote', writeSection('convert', body));
