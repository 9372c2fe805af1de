/**
 * The everyday translation data of ../shared/data/parallel-github: the merged word lexicons and the general-domain
 * sentence pairs (TICO-19, UD PUD, XQuAD, New Testaments, Mintaka), per language, as [english, foreign] pairs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Lexicon codes (ISO 639-3 macrolanguages) that Tatoeba writes with another code. */
export const TATOEBA_CODE = { zho: 'cmn', msa: 'zsm', swa: 'swh', fas: 'pes', lav: 'lvs', hbs: 'srp' };
export const LEXICON_LICENCE =
  'CC BY-SA 3.0 / GFDL (Wiktionary wordnets, Arabic WordNet), Hebrew WordNet licence (notice kept), CC BY 4.0 (GATITOS)';
export const SENTENCE_LICENCE = {
  tico19: 'CC0 1.0',
  pud: 'CC BY-SA 4.0',
  xquad: 'CC BY-SA 4.0',
  bible: 'public domain / CC BY / CC BY-SA (per translation)',
  mintaka: 'CC BY 4.0',
};

/**
 * English lexicon entries dropped: function words, whose wordnet senses are rare nouns ("a" the vitamin, "he" helium,
 * "it" information technology) and would tie the most frequent tokens to wrong translations; and short acronyms.
 */
const FUNCTION_WORDS = new Set(
  (
    'a an the i me my you your he him his she her it its we us our they them their this that these those who whom ' +
    'what which when where why how and or but if so as at by for from in into of on onto to up down out off over ' +
    'under with without about than then there here is am are was were be been being do does did have has had will ' +
    'would can could shall should may might must not no yes all any some each every both either neither one ones'
  ).split(' '),
);
const isLexiconNoise = (en) => FUNCTION_WORDS.has(en.toLowerCase()) || /^[A-Z]{1,4}$/.test(en) || en.length < 2;

const tsvPairs = (file) => {
  const out = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.indexOf('\t');
    if (t <= 0) continue;
    // wiki markup left around some English lemmas ('''table napkin''')
    const en = line
        .slice(0, t)
        .replace(/^'+|'+$/g, '')
        .trim(),
      xx = line.slice(t + 1).trim();
    if (en && xx && en.toLowerCase() !== xx.toLowerCase()) out.push([en, xx]);
  }
  return out;
};

/** How common an English entry is: its rarest word's count in `enFreq` (every word of a phrase must be common). */
const commonness = (en, enFreq) => {
  let min = Infinity;
  for (const w of en.toLowerCase().split(/\s+/)) if (w) min = Math.min(min, enFreq.get(w) ?? 0);
  return min === Infinity ? 0 : min;
};

/**
 * Lexicon pairs per language (file code), at most `capOf(lang)` each: the entries whose English words are most
 * common in `enFreq` first (everyday words before rare ones), ties in file order.
 */
export function lexiconByLang(S, enFreq, capOf) {
  const dir = join(S, 'data', 'parallel-github', 'lexicon');
  const out = new Map();
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.tsv'))
    .sort()) {
    const lang = f.slice(0, -4);
    const pairs = tsvPairs(join(dir, f))
      .filter(([en]) => !isLexiconNoise(en))
      .map((p, i) => [commonness(p[0], enFreq), i, p])
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, capOf(lang))
      .map((x) => x[2]);
    out.set(lang, pairs);
  }
  return out;
}

/** Sentence pairs of every source and language: { source, lang, pairs } in a fixed order, `caps[source]` each. */
export function sentenceSources(S, caps) {
  const root = join(S, 'data', 'parallel-github', 'sentences');
  const out = [];
  for (const source of Object.keys(SENTENCE_LICENCE))
    for (const f of readdirSync(join(root, source))
      .filter((f) => f.endsWith('.tsv'))
      .sort())
      out.push({ source, lang: f.slice(0, -4), pairs: tsvPairs(join(root, source, f)), cap: caps[source] ?? Infinity });
  return out;
}
