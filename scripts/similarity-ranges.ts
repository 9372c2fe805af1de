/** What a cosine means per model: STSb dev pairs binned by gold score, translations, random pairs → README, docs. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StaticModel, pairwiseSimilarity } from '../src/node.js';
import { stsb, tatoeba } from '../src/runtime/node/eval-datasets.js';
import { resolveModel } from '../src/cli/model-arg.js';
import { Random } from '../src/math/random.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** One kind of pair and the cosines a model gives it: quantiles p10, p50, p90 and the number of pairs. */
export interface RangeRow {
  label: string;
  pairs: number;
  p10: number;
  p50: number;
  p90: number;
}

/** The kinds of pairs measured, in the order the tables show them. */
export const KINDS = [
  'translations (Tatoeba, 112 languages ↔ English)',
  'STSb gold 4–5: same meaning',
  'STSb gold 3–4',
  'STSb gold 2–3: related, different meaning',
  'STSb gold 1–2',
  'STSb gold 0–1: unrelated',
  'random pairs (Tatoeba, shuffled)',
] as const;

const quantile = (sorted: Float64Array, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

function row(label: string, cos: number[]): RangeRow {
  const s = Float64Array.from(cos).sort();
  return { label, pairs: s.length, p10: quantile(s, 0.1), p50: quantile(s, 0.5), p90: quantile(s, 0.9) };
}

/** The pairs of each kind, from the datasets folder (stsb-multi-mt dev, 10 languages; Tatoeba, 200 pairs each). */
export function pairsOf(data: string): Map<string, { a: string[]; b: string[] }> {
  const kinds = new Map<string, { a: string[]; b: string[] }>(KINDS.map((k) => [k, { a: [], b: [] }]));
  const bins = [KINDS[5], KINDS[4], KINDS[3], KINDS[2], KINDS[1]];
  for (const item of stsb(data, 'dev'))
    item.scores!.forEach((s, i) => {
      const k = kinds.get(bins[Math.min(4, Math.floor(s * 5))]!)!;
      k.a.push(item.a[i]!);
      k.b.push(item.b![i]!);
    });
  const rng = new Random(42);
  for (const item of tatoeba(data)) {
    const n = Math.min(200, item.a.length);
    for (let i = 0; i < n; i++) {
      kinds.get(KINDS[0])!.a.push(item.a[i]!);
      kinds.get(KINDS[0])!.b.push(item.b![i]!);
      kinds.get(KINDS[6])!.a.push(item.a[i]!);
      kinds.get(KINDS[6])!.b.push(item.b![(i + 1 + rng.int(item.a.length - 1)) % item.a.length]!);
    }
  }
  return kinds;
}

/** The cosines a model gives each kind of pair. */
export function measure(model: StaticModel, pairs: Map<string, { a: string[]; b: string[] }>): RangeRow[] {
  return KINDS.map((k) => {
    const { a, b } = pairs.get(k)!;
    return row(k, Array.from(pairwiseSimilarity(model.encode(a), model.encode(b), 'cosine')));
  });
}

/** Two decimals, with a minus sign that cannot be read as a range's dash. */
const f2 = (x: number) => x.toFixed(2).replace(/^-/, '−');

/** The table: one line per kind of pair, its count, and "median (p10 to p90)" per model. */
export function renderTable(models: string[], rows: RangeRow[][]): string {
  const head = `| pair | pairs | ${models.map((m) => `\`${m}\``).join(' | ')} |`;
  const lines = [head, `|---|---:|${models.map(() => '---:').join('|')}|`];
  for (const [k, label] of KINDS.entries()) {
    const cells = rows.map((r) => `${f2(r[k]!.p50)} (${f2(r[k]!.p10)} to ${f2(r[k]!.p90)})`);
    lines.push(`| ${label} | ${rows[0]![k]!.pairs.toLocaleString('en-US')} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** Replaces the text between `<!-- NAME:start -->` and `<!-- NAME:end -->` in a file; false when unchanged. */
export function replaceSection(file: string, name: string, body: string): boolean {
  const text = readFileSync(file, 'utf8');
  const re = new RegExp(`(<!-- ${name}:start -->\\n)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!re.test(text)) throw new Error(`${file}: no ${name} markers`);
  const next = text.replace(re, (_, a: string, b: string) => `${a}${body}\n${b}`);
  if (next !== text) writeFileSync(file, next);
  return next !== text;
}

/** The section's body as README.md and docs/models.md hold it, for the given models. */
export async function rangesSection(models: string[], data: string): Promise<string> {
  const pairs = pairsOf(data);
  const rows: RangeRow[][] = [];
  for (const m of models) {
    const model = await StaticModel.fromPretrained(resolveModel(m));
    rows.push(measure(model, pairs));
    await model.close();
  }
  return [
    renderTable(models, rows),
    '',
    "Cosine similarity of each kind of pair: the median, and the 10th to the 90th percentile, at the model's full width.",
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const models = args.flatMap((a, i) => (args[i - 1] === '--model' ? [a] : []));
  const dataAt = args.indexOf('--data');
  const data =
    dataAt >= 0 ? args[dataAt + 1]! : (process.env.STATIC_EMBED_EVAL_DATA ?? join(ROOT, '..', 'shared', 'eval'));
  const body = await rangesSection(models.length ? models : ['static-embed-default'], data);
  for (const f of ['README.md', join('docs', 'models.md')])
    console.log(`${f}: ${replaceSection(join(ROOT, f), 'similarity-ranges', body) ? 'updated' : 'unchanged'}`);
  console.log(body);
}
