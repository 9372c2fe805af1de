/**
 * The general-domain sources of the default model (v1's data), read from ../shared/train and the stsb-multi-mt
 * TRAIN split: lists of [text, text] pairs per source, each tagged with its language where one applies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';

export const csvRows = (text) => {
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
export const STSB_LANGS = ['en', 'de', 'es', 'fr', 'it', 'nl', 'pl', 'pt', 'ru', 'zh'];

/**
 * stsb-multi-mt train split: en ↔ 9 translations of both sentences; same-language pairs scored ≥ 4. Each pair's
 * third element is the language it belongs to (the translation's, or the pair's own for same-language pairs).
 */
export function stsbTrain(S) {
  const rows = Object.fromEntries(
    STSB_LANGS.map((l) => [l, csvRows(readFileSync(`${S}/eval/stsb-multi-mt/data/stsb-${l}-train.csv`, 'utf8'))]),
  );
  const out = [];
  for (let i = 0; i < rows.en.length; i++) {
    for (const l of STSB_LANGS.slice(1)) out.push([rows.en[i][0], rows[l][i][0], l], [rows.en[i][1], rows[l][i][1], l]);
    for (const l of STSB_LANGS) if (Number(rows[l][i][2]) >= 4) out.push([rows[l][i][0], rows[l][i][1], l]);
  }
  return out;
}

/** NTREX-128: English ↔ 127 languages, as [en, xx] (English: the first .eng file, ref.eng-GB). */
export function ntrex(S) {
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
  const pairs = [];
  for (const f of files) {
    if (f.includes('.eng')) continue;
    const other = readFileSync(join(nd, f), 'utf8').split('\n');
    for (let i = 0; i < Math.min(en.length, other.length); i++) pairs.push([en[i], other[i]]);
  }
  return pairs;
}

/**
 * The NTREX-128 dev set: the sentences from line `from` on (news, general domain) in every language, as
 * {anchor: xx, positive: English, lang} rows, and the set of their texts (kept out of every training pair).
 */
export function ntrexDev(S, from = 1800) {
  const nd = `${S}/train/ntrex-128/NTREX-128`;
  const files = readdirSync(nd)
    .filter((f) => f.endsWith('.txt'))
    .sort();
  const en = readFileSync(join(nd, 'newstest2019-src.eng.txt'), 'utf8').split('\n');
  const rows = [],
    texts = new Set();
  for (const f of files) {
    if (f.includes('.eng')) continue;
    const other = readFileSync(join(nd, f), 'utf8').split('\n');
    const lang = f.replace('newstest2019-', '').replace('.txt', '');
    for (let i = from; i < Math.min(en.length, other.length); i++) {
      const e = en[i].trim(),
        x = other[i].trim();
      if (!e || !x) continue;
      texts.add(e);
      texts.add(x);
      rows.push({ anchor: x, positive: e, lang });
    }
  }
  return { rows, texts };
}

export function freedict(S) {
  const out = [];
  for (const f of readdirSync(`${S}/train/freedict`)
    .filter((f) => f.endsWith('.tsv.gz'))
    .sort()) {
    for (const line of gzLines(`${S}/train/freedict/${f}`)) {
      const p = line.split('\t');
      if (p.length === 2 && !p.some((x) => x.includes('\uFFFD'))) out.push([p[0], p[1]]);
    }
  }
  return out;
}

/**
 * FreeDict balanced by language: both directions of a language's dictionaries merged as [en, xx] (entries whose
 * English side holds a word missing from `enFreq`, or grammar notes in parentheses, dropped), deduplicated, and the
 * `cap` entries whose rarest English word is most frequent in `enFreq` kept (everyday words first; ties in file
 * order; at most two entries per English word and per foreign word). Returns language code → pairs, languages sorted.
 */
export function freedictByLang(S, enFreq, cap) {
  const PER_WORD = 2;
  const by = new Map();
  for (const f of readdirSync(`${S}/train/freedict`)
    .filter((f) => f.endsWith('.tsv.gz'))
    .sort()) {
    const [a, b] = f.replace('.tsv.gz', '').split('-');
    const enFirst = a === 'eng',
      lang = enFirst ? b : a;
    const rows = by.get(lang) ?? [];
    by.set(lang, rows);
    for (const line of gzLines(`${S}/train/freedict/${f}`)) {
      const p = line.split('\t');
      if (p.length !== 2 || p.some((x) => x.includes('\uFFFD') || /[()]/.test(x))) continue;
      const en = (enFirst ? p[0] : p[1]).trim(),
        xx = (enFirst ? p[1] : p[0]).trim();
      if (!en || !xx) continue;
      let score = Infinity;
      for (const w of en.toLowerCase().split(/\s+/)) score = Math.min(score, enFreq.get(w) ?? 0);
      if (score > 0) rows.push([en, xx, score]);
    }
  }
  const out = new Map();
  for (const [lang, rows] of [...by].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
    const seen = new Set(),
      uniq = [];
    for (const r of rows) {
      const k = `${r[0].toLowerCase()}\t${r[1].toLowerCase()}`;
      if (!seen.has(k)) {
        seen.add(k);
        uniq.push(r);
      }
    }
    uniq.sort((x, y) => y[2] - x[2]); // stable: ties keep file order
    // at most PER_WORD translations of one English side (and of one foreign side): fewer in-batch false negatives
    const uses = new Map(),
      kept = [];
    for (const [en, xx] of uniq) {
      const a = `en\t${en.toLowerCase()}`,
        b = `xx\t${xx.toLowerCase()}`;
      if ((uses.get(a) ?? 0) >= PER_WORD || (uses.get(b) ?? 0) >= PER_WORD) continue;
      uses.set(a, (uses.get(a) ?? 0) + 1);
      uses.set(b, (uses.get(b) ?? 0) + 1);
      kept.push([en, xx]);
      if (kept.length === cap) break;
    }
    out.set(lang, kept);
  }
  return out;
}

export function wordnet(S) {
  const out = [];
  for (const line of gzLines(`${S}/train/debian-misc/wordnet30_synsets.tsv.gz`)) {
    const p = line.split('\t');
    if (p.length < 4 || p[0] === 'pos') continue;
    const lem = p[2]
      .split(',')
      .map((x) => x.trim().replaceAll('_', ' '))
      .filter(Boolean);
    if (lem.length && p[3]) {
      out.push([lem[0], p[3]]);
      for (const x of lem.slice(1)) out.push([lem[0], x]);
    }
  }
  return out;
}

export function isoCodes(S) {
  const out = [];
  for (const line of gzLines(`${S}/train/debian-misc/iso_codes_parallel.tsv.gz`)) {
    const p = line.split('\t');
    if (p.length === 4 && p[0] !== 'domain') out.push([p[2], p[3]]);
  }
  return out;
}

/** Every text of the evaluation sets (all splits that any task scores or trains a classifier on). */
export function evaluationTexts(S) {
  const E = `${S}/eval`,
    texts = [];
  const lines = (f) =>
    readFileSync(f, 'utf8')
      .split('\n')
      .map((l) => l.replace(/\r$/, ''));
  for (const f of readdirSync(`${E}/tatoeba`).filter((f) => f.startsWith('tatoeba.')))
    texts.push(...lines(`${E}/tatoeba/${f}`));
  for (const f of readdirSync(`${E}/stsb-multi-mt/data`).filter((f) => /-(dev|test)\.csv$/.test(f)))
    for (const r of csvRows(readFileSync(`${E}/stsb-multi-mt/data/${f}`, 'utf8'))) texts.push(r[0], r[1]);
  for (const d of ['pawsx', 'xnli'])
    for (const f of readdirSync(`${E}/${d}`).filter((f) => f.endsWith('.tsv')))
      for (const l of lines(`${E}/${d}/${f}`)) {
        const p = l.split('\t');
        texts.push(p[0], p[1]);
      }
  for (const lang of readdirSync(`${E}/multilingual-sentiment`)) {
    for (const split of ['train', 'valid', 'test']) {
      try {
        for (const r of csvRows(readFileSync(`${E}/multilingual-sentiment/${lang}/${split}.csv`, 'utf8')).slice(1))
          texts.push(r[0]);
      } catch {
        /* not every language has every split */
      }
    }
  }
  return texts.filter((t) => typeof t === 'string' && t.length > 0);
}
