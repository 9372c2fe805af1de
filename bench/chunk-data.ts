/** The synthetic documents of bench/chunk.ts: 3–8 passages on different topics, one language; the seams are the truth. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../src/math/random.js';

export interface BenchDoc {
  source: 'corpus' | 'stsb';
  lang: string;
  text: string;
  /** where passage 2, 3, … starts (UTF-16 code units) */
  seams: number[];
}

/** Multi-sentence, one-topic lines of the benchmark corpus (package descriptions, manual sections) by language. */
export function corpusPassages(shared: string): Map<string, string[]> {
  const lines = readFileSync(join(shared, 'corpus', 'bench-corpus.txt'), 'utf8').split('\n');
  const meta = readFileSync(join(shared, 'corpus', 'bench-corpus.meta.tsv'), 'utf8')
    .split('\n')
    .slice(1);
  const out = new Map<string, string[]>();
  for (const row of meta) {
    const [i, source, lang] = row.split('\t');
    if (source !== 'debian-full' && source !== 'man-section') continue;
    const text = lines[Number(i)]!.trim();
    if (text.length < 200 || text.length > 1500) continue;
    const key = lang!.split('_')[0]!;
    if (!out.has(key)) out.set(key, []);
    out.get(key)!.push(text);
  }
  return out;
}

/** Minimal CSV rows (quoted fields with "" escapes), as the STSb files are written. */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [],
    field = '',
    quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * STSb passages, in every language of stsb-multi-mt: the rows (the same pairs in every language) grouped by source —
 * pairs scored ≥ 3.5 that share a sentence (English rows) form one group, whose sentences make one passage.
 */
export function stsbPassages(shared: string): Map<string, string[]> {
  const dir = join(shared, 'eval', 'stsb-multi-mt', 'data');
  const read = (lang: string) =>
    ['train', 'dev', 'test'].flatMap((s) => csvRows(readFileSync(join(dir, `stsb-${lang}-${s}.csv`), 'utf8')));
  const en = read('en');
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    while (parent.get(x) !== x) x = parent.get(x)!;
    return x;
  };
  const groups = new Map<string, number[]>();
  en.forEach((r, i) => {
    if (Number(r[2]) < 3.5) return;
    for (const s of [r[0]!, r[1]!]) if (!parent.has(s)) parent.set(s, s);
    parent.set(find(r[0]!), find(r[1]!));
    groups.set(String(i), []);
  });
  const byRoot = new Map<string, number[]>();
  en.forEach((r, i) => {
    if (!groups.has(String(i))) return;
    const root = find(r[0]!);
    if (!byRoot.has(root)) byRoot.set(root, []);
    byRoot.get(root)!.push(i);
  });
  const out = new Map<string, string[]>();
  for (const lang of ['de', 'en', 'es', 'fr', 'it', 'ja', 'nl', 'pl', 'pt', 'ru', 'zh']) {
    const rows = read(lang);
    const join = lang === 'ja' || lang === 'zh' ? '' : ' ';
    const passages: string[] = [];
    for (const idx of byRoot.values()) {
      const sents = [...new Set(idx.flatMap((i) => [rows[i]![0]!, rows[i]![1]!]))].slice(0, 6);
      if (sents.length >= 2) passages.push(sents.map((s) => s.trim()).join(join));
    }
    out.set(lang, passages);
  }
  return out;
}

/** `count` documents per language of each pool (languages with ≥ 40 passages), 3–8 passages each, seeded. */
export function makeDocs(
  pools: Array<[BenchDoc['source'], Map<string, string[]>]>,
  count: number,
  seed: number,
): BenchDoc[] {
  const rng = new Random(seed);
  const docs: BenchDoc[] = [];
  for (const [source, pool] of pools)
    for (const [lang, passages] of [...pool].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (passages.length < 40) continue;
      const sep = source === 'stsb' && (lang === 'ja' || lang === 'zh') ? '' : ' ';
      for (let d = 0; d < count; d++) {
        const k = 3 + Math.floor(rng.next() * 6);
        const picked = new Set<number>();
        while (picked.size < k) picked.add(Math.floor(rng.next() * passages.length));
        let text = '';
        const seams: number[] = [];
        for (const p of picked) {
          if (text.length > 0) {
            text += sep;
            seams.push(text.length);
          }
          text += passages[p]!;
        }
        docs.push({ source, lang, text, seams });
      }
    }
  return docs;
}
