/**
 * The evaluation report: report.md (with chart.svg) and a self-contained report.html.
 * See ARCHITECTURE.md, "Tasks and evaluation".
 */
import { existsSync, readFileSync } from 'node:fs';
import type { EvalRun } from './eval-run.js';

export type References = Map<string, Map<string, number>>;

/** SUMMARY.tsv (model, revision, task, split, subset, main_score) of the MTEB results collection. */
export function loadReferences(path: string): References {
  const refs: References = new Map();
  if (!existsSync(path)) return refs;
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    const [model, , task, split, subset, score] = line.split('\t');
    if (!model || !task || score === undefined) continue;
    const m = refs.get(model) ?? new Map<string, number>();
    m.set(`${task}|${split}|${subset}`, Number(score));
    refs.set(model, m);
  }
  return refs;
}

interface Row {
  task: string;
  split: string;
  subsets: string[];
  byDim: Map<number, number>;
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

function summarize(run: EvalRun): Row[] {
  const rows = new Map<string, Row>();
  for (const r of run.results) {
    const key = `${r.task}|${r.split}`;
    const row: Row = rows.get(key) ?? { task: r.task, split: r.split, subsets: [], byDim: new Map<number, number>() };
    if (!row.subsets.includes(r.subset)) row.subsets.push(r.subset);
    rows.set(key, row);
  }
  for (const row of rows.values()) {
    for (const d of run.dims)
      row.byDim.set(
        d,
        mean(
          run.results
            .filter((r) => r.task === row.task && r.split === row.split && r.dim === d)
            .map((r) => r.main_score),
        ),
      );
  }
  return [...rows.values()];
}

const REF_MODELS = [
  'sentence-transformers__static-similarity-mrl-multilingual-v1',
  'minishlab__potion-multilingual-128M',
  'minishlab__potion-base-8M',
];
const TASK_REF: Record<string, string> = { MultilingualSentiment: '' };

function refAverage(refs: References, model: string, row: Row): string {
  const m = refs.get(model);
  const task = TASK_REF[row.task] ?? row.task;
  if (!m || !task) return '–';
  const xs = row.subsets.map((s) => m.get(`${task}|${row.split}|${s}`)).filter((x): x is number => x !== undefined);
  return xs.length === row.subsets.length
    ? mean(xs).toFixed(4)
    : xs.length
      ? `${mean(xs).toFixed(4)} (${xs.length}/${row.subsets.length})`
      : '–';
}

const pct = (x: number) => (100 * x).toFixed(2);

export function chartSvg(run: EvalRun, width = 900, height = 380): string {
  const rows = summarize(run);
  const dims = run.dims;
  const pad = { l: 56, r: 330, t: 24, b: 44 };
  const all = rows.flatMap((r) => dims.map((d) => r.byDim.get(d)!));
  let lo = Math.min(...all),
    hi = Math.max(...all);
  if (hi - lo < 0.05) {
    lo -= 0.025;
    hi += 0.025;
  }
  lo = Math.max(0, Math.floor(lo * 20) / 20);
  hi = Math.min(1, Math.ceil(hi * 20) / 20);
  const x = (d: number) =>
    pad.l +
    (dims.length === 1
      ? 0.5
      : (Math.log2(d) - Math.log2(dims[0]!)) / (Math.log2(dims[dims.length - 1]!) - Math.log2(dims[0]!))) *
      (width - pad.l - pad.r);
  const y = (v: number) => pad.t + (1 - (v - lo) / (hi - lo)) * (height - pad.t - pad.b);
  const colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${pad.l}" y="16" font-size="13" font-weight="bold">Matryoshka curve: main score by dimension</text>`,
  ];
  for (let v = lo; v <= hi + 1e-9; v += 0.05) {
    parts.push(
      `<line x1="${pad.l}" x2="${width - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`,
      `<text x="${pad.l - 8}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(2)}</text>`,
    );
  }
  for (const d of dims)
    parts.push(
      `<line x1="${x(d)}" x2="${x(d)}" y1="${pad.t}" y2="${height - pad.b}" stroke="#eee"/>`,
      `<text x="${x(d)}" y="${height - pad.b + 16}" text-anchor="middle">${d}</text>`,
    );
  parts.push(
    `<text x="${(pad.l + width - pad.r) / 2}" y="${height - 8}" text-anchor="middle">embedding dimension</text>`,
  );
  rows.forEach((r, i) => {
    const c = colors[i % colors.length]!;
    const pts = dims.map((d) => `${x(d).toFixed(1)},${y(r.byDim.get(d)!).toFixed(1)}`).join(' ');
    parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts}"/>`);
    for (const d of dims) parts.push(`<circle cx="${x(d)}" cy="${y(r.byDim.get(d)!)}" r="3" fill="${c}"/>`);
    parts.push(
      `<rect x="${width - pad.r + 14}" y="${pad.t + 18 * i - 9}" width="12" height="3" fill="${c}"/>`,
      `<text x="${width - pad.r + 32}" y="${pad.t + 18 * i - 4}">${escapeXml(`${r.task} (${r.split})`)}</text>`,
    );
  });
  parts.push('</svg>');
  return parts.join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

export interface ReportMeta {
  model: string;
  command: string;
  date: string;
  machine: string;
}

const QUICK_NOTE = (run: EvalRun) =>
  `a random sample (seed ${run.quickSeed}, the same rows every run) of at most ${run.quickRows} items per language and ` +
  'a few languages per task (--quick), not comparable with full-set or published scores.';

export function reportMarkdown(run: EvalRun, refs: References, meta: ReportMeta): string {
  const rows = summarize(run);
  const dims = run.dims;
  // a --quick subset is compared with nothing published: the references are full-set scores
  const refModels = run.quick ? [] : REF_MODELS;
  const out: string[] = [
    `# Evaluation of ${meta.model}${run.quick ? ' (quick subset)' : ''}`,
    '',
    `Command: \`${meta.command}\`  `,
    `Date: ${meta.date}; machine: ${meta.machine}.`,
    '',
    `Encoding speed: ${run.texts.toLocaleString('en-US')} texts in ${run.encodeSeconds.toFixed(2)} s ` +
      `(${Math.round(run.texts / Math.max(run.encodeSeconds, 1e-9)).toLocaleString('en-US')} texts/s).`,
    '',
    run.quick
      ? `## Summary of a quick subset (main score, averaged over languages): ${QUICK_NOTE(run)}`
      : '## Summary (main score, averaged over languages)',
    '',
    `| task | split | languages | ${dims.map((d) => `dim ${d}`).join(' | ')} |${refModels.map((m) => ` ${m.split('__')[1]} |`).join('')}`,
    `|---|---|---:|${dims.map(() => '---:').join('|')}|${refModels.map(() => '---:|').join('')}`,
  ];
  for (const r of rows)
    out.push(
      `| ${r.task} | ${r.split} | ${r.subsets.length} | ${dims.map((d) => r.byDim.get(d)!.toFixed(4)).join(' | ')} ` +
        `|${refModels.map((m) => ` ${refAverage(refs, m, r)} |`).join('')}`,
    );
  out.push(
    '',
    run.quick
      ? "No published scores are shown: they are full-set scores, and a subset's scores differ from them by sampling alone. Run without --quick to compare."
      : `Reference columns: published MTEB scores of those models on the same task, split and languages (mteb-results' SUMMARY.tsv ` +
          `beside the datasets folder); "–" where none exist. MultilingualSentiment is not an MTEB task here, so it has no reference.`,
  );
  out.push(...matryoshkaTable(run, rows), ...perLanguage(run, refs, rows));
  out.push(
    '## How to read this',
    '',
    '- main scores: STS = Spearman of cosine similarity; Tatoeba = weighted F1 of ' +
      'nearest-neighbour matching; pair classification = best average precision over cosine, ' +
      ('dot, Manhattan, Euclidean (max_ap); classification = mean accuracy of logistic ' +
        "regression over 10 experiments with 8 examples per label (MTEB's protocol)."),
    "- The Matryoshka table shows each dimension's score and its relative change against the largest dimension.",
    "- Per-task, per-language JSON files in MTEB's format are in dim-<d>/ next to this report.",
  );
  return out.join('\n') + '\n';
}

/** The Matryoshka section: each dimension's score and its change against the largest (none for one dimension). */
function matryoshkaTable(run: EvalRun, rows: Row[]): string[] {
  const dims = run.dims,
    top = dims[dims.length - 1]!;
  const out: string[] = [];
  if (dims.length > 1) {
    out.push(
      '',
      '## Matryoshka curve',
      '',
      '![Matryoshka curve](chart.svg)',
      '',
      `| task | split | ${dims.map((d) => `dim ${d}`).join(' | ')} |`,
      `|---|---|${dims.map(() => '---:').join('|')}|`,
    );
    for (const r of rows) {
      const full = r.byDim.get(top)!;
      out.push(
        `| ${r.task} | ${r.split} | ` +
          `${dims.map((d) => (d === top ? full.toFixed(4) : `${r.byDim.get(d)!.toFixed(4)} (${pct(r.byDim.get(d)! / full - 1)}%)`)).join(' | ')} |`,
      );
    }
  }
  return out;
}

/** One table per task: the score of each language at each dimension, and the first reference model's. */
function perLanguage(run: EvalRun, refs: References, rows: Row[]): string[] {
  const dims = run.dims;
  const out: string[] = [];
  out.push('', '## Per language', '');
  for (const r of rows) {
    const ref = run.quick ? undefined : refs.get(REF_MODELS[0]!);
    out.push(
      `### ${r.task} (${r.split})`,
      '',
      `| language | ${dims.map((d) => `dim ${d}`).join(' | ')} |${ref ? ' static-similarity-mrl-multilingual-v1 |' : ''}`,
      `|---|${dims.map(() => '---:').join('|')}|${ref ? '---:|' : ''}`,
    );
    for (const s of r.subsets) {
      const cells = dims.map((d) =>
        run.results
          .find((x) => x.task === r.task && x.split === r.split && x.subset === s && x.dim === d)!
          .main_score.toFixed(4),
      );
      const rv = ref?.get(`${r.task}|${r.split}|${s}`);
      out.push(`| ${s} | ${cells.join(' | ')} |${ref ? ` ${rv !== undefined ? rv.toFixed(4) : '–'} |` : ''}`);
    }
    out.push('');
  }
  return out;
}

export function reportHtml(markdown: string, svg: string): string {
  // a small Markdown subset (headings, tables, lists, code) is enough for our own report
  const lines = markdown.split('\n');
  const html: string[] = [];
  let inTable = false;
  for (const l of lines) {
    if (l.startsWith('|')) {
      const cells = l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
      if (cells.every((c) => /^-+:?$/.test(c))) continue;
      if (!inTable) {
        html.push('<table>');
        inTable = true;
        html.push(`<tr>${cells.map((c) => `<th>${inline(c)}</th>`).join('')}</tr>`);
        continue;
      }
      html.push(`<tr>${cells.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`);
      continue;
    }
    if (inTable) {
      html.push('</table>');
      inTable = false;
    }
    if (l.startsWith('![')) {
      html.push(svg);
      continue;
    }
    const h = /^(#+) (.*)$/.exec(l);
    if (h) html.push(`<h${h[1]!.length}>${inline(h[2]!)}</h${h[1]!.length}>`);
    else if (l.startsWith('- ')) html.push(`<li>${inline(l.slice(2))}</li>`);
    else if (l.trim()) html.push(`<p>${inline(l)}</p>`);
  }
  if (inTable) html.push('</table>');
  return (
    `<!doctype html><meta charset="utf-8"><title>static-embed evaluation</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em ` +
    `auto;color:#222}table{border-collapse:collapse;margin:1em ` +
    (`0}td,th{border:1px solid #ccc;padding:3px ` +
      `8px;text-align:right}td:first-child,th:first-child{text-align:left}code{background:#f4f4f4}</style>\n${html.join('\n')}\n`)
  );
}

function inline(s: string): string {
  return escapeXml(s)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<b>$1</b>');
}
