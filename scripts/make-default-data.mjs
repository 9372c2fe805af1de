#!/usr/bin/env node
/**
 * Builds the training data of the embedded default model from ../shared (read-only) into OUT_DIR
 * (default /tmp/static-embed-default): one JSONL per source plus corpus.txt (all texts, for train-tokenizer).
 * Sources and licences (all allow redistributing derived weights; no evaluation split is used):
 *   stsb-multi-mt train split (CC BY-SA 4.0): en↔9 translations of both sentences, same-language pairs scored ≥ 4
 *   NTREX-128 (CC BY-SA 4.0): English ↔ 127 languages
 *   FreeDict (GPL-2+ / CC BY-SA 3.0, see train/freedict/LICENSES.tsv): 400,000 seeded-sampled word/phrase pairs
 *   WordNet 3.0 (WordNet licence): lemma ↔ gloss, lemma ↔ synonym
 *   iso-codes (LGPL-2.1+): country/language/currency names, English ↔ locale
 * Usage: node scripts/make-default-data.mjs [OUT_DIR]
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const S = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared');
const OUT = process.argv[2] ?? '/tmp/static-embed-default';
mkdirSync(OUT, { recursive: true });
let seed = 1;
const rand = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const shuffle = (a) => {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
};
const csvRows = (text) => {
  const rows = [];
  let row = [],
    cell = '',
    q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else q = false;
      } else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
};
const gzLines = (f) => gunzipSync(readFileSync(f)).toString('utf8').split('\n');
const all = new Set();
const write = (name, pairs) => {
  const lines = [];
  for (const [a, p] of pairs) {
    const x = a.trim(),
      y = p.trim();
    if (x && y && x !== y) {
      lines.push(JSON.stringify({ anchor: x, positive: y }));
      all.add(x);
      all.add(y);
    }
  }
  writeFileSync(join(OUT, `${name}.jsonl`), lines.join('\n') + '\n');
  console.log(`${name}: ${lines.length} pairs`);
};

const langs = ['en', 'de', 'es', 'fr', 'it', 'nl', 'pl', 'pt', 'ru', 'zh'];
const rows = Object.fromEntries(
  langs.map((l) => [l, csvRows(readFileSync(`${S}/eval/stsb-multi-mt/data/stsb-${l}-train.csv`, 'utf8'))]),
);
const stsb = [];
for (let i = 0; i < rows.en.length; i++) {
  for (const l of langs.slice(1)) {
    stsb.push([rows.en[i][0], rows[l][i][0]], [rows.en[i][1], rows[l][i][1]]);
  }
  for (const l of langs) if (Number(rows[l][i][2]) >= 4) stsb.push([rows[l][i][0], rows[l][i][1]]);
}
write('stsb-train', stsb);

const nd = `${S}/train/ntrex-128/NTREX-128`;
const files = readdirSync(nd)
  .filter((f) => f.endsWith('.txt'))
  .sort();
const en = readFileSync(
  join(
    nd,
    files.find((f) => f.includes('.eng')),
  ),
  'utf8',
).split('\n');
const ntrex = [];
for (const f of files) {
  if (f.includes('.eng')) continue;
  const other = readFileSync(join(nd, f), 'utf8').split('\n');
  for (let i = 0; i < Math.min(en.length, other.length); i++) ntrex.push([en[i], other[i]]);
}
write('ntrex', ntrex);

const fd = [];
for (const f of readdirSync(`${S}/train/freedict`)
  .filter((f) => f.endsWith('.tsv.gz'))
  .sort()) {
  for (const line of gzLines(`${S}/train/freedict/${f}`)) {
    const p = line.split('\t');
    if (p.length === 2 && !p.some((x) => x.includes('\uFFFD'))) fd.push([p[0], p[1]]);
  }
}
write('freedict', shuffle(fd).slice(0, 400000));

const wn = [];
for (const line of gzLines(`${S}/train/debian-misc/wordnet30_synsets.tsv.gz`)) {
  const p = line.split('\t');
  if (p.length < 4 || p[0] === 'pos') continue;
  const lem = p[2]
    .split(',')
    .map((x) => x.trim().replaceAll('_', ' '))
    .filter(Boolean);
  if (lem.length && p[3]) {
    wn.push([lem[0], p[3]]);
    for (const x of lem.slice(1)) wn.push([lem[0], x]);
  }
}
write('wordnet', wn);

const iso = [];
for (const line of gzLines(`${S}/train/debian-misc/iso_codes_parallel.tsv.gz`)) {
  const p = line.split('\t');
  if (p.length === 4 && p[0] !== 'domain') iso.push([p[2], p[3]]);
}
write('iso-codes', iso);
writeFileSync(join(OUT, 'corpus.txt'), [...all].join('\n') + '\n');
console.log(`corpus.txt: ${all.size} distinct texts`);
