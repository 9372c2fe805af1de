"""Lexicon sentences for the default model (a probe of the model card's "Toward v3"): English training sentences
with their words replaced by the word lexicon's translations, one file per language.

The English sentences are the anchors of DATA_DIR's NTREX, stsb-train and general-domain sentence files (4 to 25
words). For each language whose lexicon file has at least 2,000 single-word entries, a seeded shuffle of them is
walked and a sentence kept when at least two of its words, and a third of them, have a translation (the file's first
one); the other words are dropped. Thai, Lao, Khmer, Myanmar, Chinese, Japanese, Tibetan and Dzongkha join the
translations without spaces, and Hebrew points and Arabic vowel marks are removed, as in running text. Writes
OUT/LANG.jsonl (anchor, positive): N_OTHER pairs per language of another script, N_LATIN per Latin-script language.

Usage (the reference venv, scripts/setup-reference.sh):
  python scripts/make-lexicon-sentences.py DATA_DIR OUT [N_OTHER (default 3000)] [N_LATIN (default 1000)]
  DATA_DIR: the folder of `node scripts/make-default-data.mjs DATA_DIR --v3`.
"""
import glob
import json
import os
import random
import re
import sys

UNSPACED = {'tha', 'lao', 'khm', 'mya', 'jpn', 'zho', 'cmn', 'yue', 'bod', 'dzo'}
MARKS = re.compile('[\u0591-\u05C7\u064B-\u065F\u0670]')
LATIN = re.compile(r'[A-Za-z\u00C0-\u024F]')
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def english_sentences(data):
    files = [f'{data}/ntrex.jsonl', f'{data}/stsb-train.jsonl'] + glob.glob(f'{data}/sentences-by-lang/*.jsonl')
    found = set()
    for f in files:
        with open(f, encoding='utf-8') as lines:
            for line in lines:
                a = json.loads(line)['anchor']
                if 4 <= len(a.split()) <= 25:
                    found.add(a)
    return sorted(found)


def lexicon(path):
    """English word → its first translation (single-word entries only)."""
    lex = {}
    with open(path, encoding='utf-8') as lines:
        for line in lines:
            p = json.loads(line)
            e = p['anchor'].lower()
            if ' ' not in e and e not in lex:
                lex[e] = p['positive']
    return lex


def lexicon_sentences(lang, lex, english, n):
    rng = random.Random(lang)
    out = []
    for s in rng.sample(english, len(english)):
        words = WORD.findall(s.lower())
        translated = [lex[w] for w in words if w in lex]
        if len(translated) < 2 or len(translated) < len(words) / 3:
            continue
        out.append({'anchor': s, 'positive': MARKS.sub('', ('' if lang in UNSPACED else ' ').join(translated))})
        if len(out) >= n:
            break
    return out


def main():
    data, out_dir = sys.argv[1], sys.argv[2]
    n_other = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    n_latin = int(sys.argv[4]) if len(sys.argv) > 4 else 1000
    os.makedirs(out_dir, exist_ok=True)
    english = english_sentences(data)
    total = files = 0
    for path in sorted(glob.glob(f'{data}/lexicon-by-lang/*.jsonl')):
        lang = os.path.basename(path)[: -len('.jsonl')]
        lex = lexicon(path)
        if len(lex) < 2000:
            continue
        latin = sum(bool(LATIN.search(x)) for x in list(lex.values())[:200]) > 100
        rows = lexicon_sentences(lang, lex, english, n_latin if latin else n_other)
        if len(rows) < 100:
            continue
        with open(f'{out_dir}/{lang}.jsonl', 'w', encoding='utf-8') as o:
            for r in rows:
                o.write(json.dumps(r, ensure_ascii=False) + '\n')
        total += len(rows)
        files += 1
    print(f'{len(english)} English sentences; {total} pairs in {files} files in {out_dir}')


if __name__ == '__main__':
    main()
