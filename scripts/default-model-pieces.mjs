// Pieces per word of tokenizers, per language: the held-out NTREX-128 sentences (lines 1800 on, in no training
// pair), words by Intl.Segmenter (ICU; also for the unspaced scripts), tokens of each sentence over its words.
// Usage: npm run build && node scripts/default-model-pieces.mjs NAME=TOKENIZER_JSON [NAME=TOKENIZER_JSON …] [--json]
import { readFileSync } from 'node:fs';
import { Tokenizer } from '../dist/src/node.js';

const LANGS = {
  tha: 'th',
  lao: 'lo',
  khm: 'km',
  mya: 'my',
  heb: 'he',
  hye: 'hy',
  kat: 'ka',
  ben: 'bn',
  tur: 'tr',
  arb: 'ar',
  hin: 'hi',
  tam: 'ta',
  amh: 'am',
  jpn: 'ja',
  rus: 'ru',
  deu: 'de',
  eng: 'en',
};
const NTREX = new URL('../../shared/train/ntrex-128/NTREX-128/', import.meta.url).pathname;
const args = process.argv.slice(2);
const json = args.includes('--json');
const tokenizers = args
  .filter((a) => !a.startsWith('--'))
  .map((a) => {
    const [name, file] = a.split('=');
    return [name, Tokenizer.fromJSON(readFileSync(file, 'utf8'))];
  });
const result = {};
for (const [code, bcp] of Object.entries(LANGS)) {
  const file = code === 'eng' ? 'newstest2019-src.eng.txt' : `newstest2019-ref.${code}.txt`;
  const lines = readFileSync(NTREX + file, 'utf8')
    .split('\n')
    .slice(1800)
    .filter(Boolean);
  const seg = new Intl.Segmenter(bcp, { granularity: 'word' });
  let words = 0;
  for (const l of lines) for (const s of seg.segment(l)) if (s.isWordLike) words++;
  result[code] = {};
  for (const [name, tok] of tokenizers) {
    let pieces = 0;
    for (const l of lines) pieces += tok.encode(l).length;
    result[code][name] = Number((pieces / words).toFixed(3));
  }
}
if (json) console.log(JSON.stringify(result));
else {
  const names = tokenizers.map(([n]) => n);
  console.log(`| language | ${names.join(' | ')} |`);
  for (const [code, r] of Object.entries(result)) console.log(`| ${code} | ${names.map((n) => r[n]).join(' | ')} |`);
}
