"""Golden ids of the embedded default model's tokenizer (learned by static-embed train-tokenizer) from the Rust
`tokenizers` library: every 97th line of ../shared/corpus/bench-corpus.txt (first 400), and a few sentences of our
own in scripts written without spaces (Thai, Khmer, Lao, Myanmar) and others. Writes
test/golden/default-tokenizer-ids.json (line numbers and ids only for the corpus; the text stays in ../shared).
Run: /tmp/static-embed-ref/bin/python scripts/make-default-tokenizer-goldens.py"""
import json, os
from tokenizers import Tokenizer
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
tok = Tokenizer.from_file(os.path.join(root, 'models/default/0_StaticEmbedding/tokenizer.json'))
lines = open(os.path.join(root, '..', 'shared', 'corpus', 'bench-corpus.txt'), encoding='utf-8').read().split('\n')
picked = list(range(0, len(lines), 97))[:400]
extra = ['วันนี้อากาศดีมากและฉันอยากไปเดินเล่นที่สวนสาธารณะ', 'ថ្ងៃនេះអាកាសធាតុល្អណាស់', 'ມື້ນີ້ອາກາດດີຫຼາຍ',
         'ဒီနေ့ရာသီဥတုကောင်းတယ်', '今日はとても良い天気ですね。', 'שלום, מה שלומך היום?', 'الطقس جميل اليوم',
         'Раньше я ненавидел его.', 'Die Datenschutzerklärung wurde gestern aktualisiert.']
out = {'lines': picked, 'ids': [tok.encode(lines[i], add_special_tokens=False).ids for i in picked],
       'texts': extra, 'textIds': [tok.encode(t, add_special_tokens=False).ids for t in extra]}
json.dump(out, open(os.path.join(root, 'test/golden/default-tokenizer-ids.json'), 'w'), separators=(',', ':'))
print(len(picked), 'lines')
