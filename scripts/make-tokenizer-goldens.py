"""Golden token ids from the Rust `tokenizers` library (the reference), for test/tokenizer-golden.test.ts.

Usage: PYTHON scripts/make-tokenizer-goldens.py [SHARED_DIR]   (PYTHON: ../shared/tools/setup-python-reference.sh)

Writes, all small enough to commit:
  test/fixtures/tokenizers/*.json      Unigram / BPE / WordPiece / WordLevel tokenizers trained here with the Python
                                       library on the first 20,000 corpus lines, with varied normalizers,
                                       pre-tokenizers and added tokens (they exercise every component we support)
  test/golden/fuzz.jsonl               a seeded fuzz set of Unicode strings with the reference ids for every tokenizer
  test/golden/corpus/<name>.u32        per-line hashes (uint32 LE) of the reference ids of every bench-corpus line:
                                       the full corpus for the shared tokenizers, the first 5,000 lines for ours
  test/golden/manifest.json            sha256 of the inputs these were made from, line counts, library version
The hash of one line's ids: FNV-1a over the ids (32-bit), then over the count (see test/helpers/ids-hash.ts).
"""
import gzip, hashlib, json, os, random, sys, unicodedata
import tokenizers
from tokenizers import Tokenizer, AddedToken, models, normalizers as N, pre_tokenizers as PT, trainers, Regex

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared")
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
corpus_path = os.path.join(shared, "corpus", "bench-corpus.txt")
with open(corpus_path, encoding="utf-8") as f:
    corpus = f.read().split("\n")
if corpus and corpus[-1] == "":
    corpus.pop()

def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()

def ids_hash(ids):
    h = 0x811C9DC5
    for x in ids:
        h = ((h ^ x) * 0x01000193) & 0xFFFFFFFF
    h = ((h ^ len(ids)) * 0x01000193) & 0xFFFFFFFF
    return h

# ---------- tokenizers trained here ----------
train_lines = corpus[:20000]
specials = ["[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]"]

def unigram_metaspace():
    t = Tokenizer(models.Unigram())
    t.normalizer = N.Sequence([N.NFKC(), N.Replace(Regex(r" {2,}"), " "), N.Lowercase()])
    t.pre_tokenizer = PT.Metaspace(replacement="\u2581", prepend_scheme="always", split=True)
    t.train_from_iterator(train_lines, trainers.UnigramTrainer(vocab_size=8000, unk_token="<unk>", special_tokens=["<unk>", "<s>", "</s>"]))
    return t

def unigram_bytefallback():
    t = Tokenizer(models.Unigram())
    t.normalizer = N.Sequence([N.Nmt(), N.NFKC(), N.Strip()])
    t.pre_tokenizer = PT.Sequence([PT.WhitespaceSplit(), PT.Metaspace(prepend_scheme="first")])
    tr = trainers.UnigramTrainer(vocab_size=6000, unk_token="<unk>", special_tokens=["<unk>"] + [f"<0x{b:02X}>" for b in range(256)])
    t.train_from_iterator(train_lines[:8000], tr)
    d = json.loads(t.to_str())
    d["model"]["byte_fallback"] = True
    return Tokenizer.from_str(json.dumps(d))

def bpe_bytelevel():
    t = Tokenizer(models.BPE())
    t.pre_tokenizer = PT.ByteLevel(add_prefix_space=True, use_regex=True)
    t.train_from_iterator(train_lines, trainers.BpeTrainer(vocab_size=4000, special_tokens=["<|endoftext|>"], initial_alphabet=PT.ByteLevel.alphabet()))
    d = json.loads(t.to_str())
    d["model"]["ignore_merges"] = True
    return Tokenizer.from_str(json.dumps(d))

def bpe_subword():
    t = Tokenizer(models.BPE(unk_token="[UNK]", continuing_subword_prefix="##", end_of_word_suffix="</w>", fuse_unk=True))
    t.normalizer = N.Sequence([N.NFD(), N.StripAccents(), N.Lowercase()])
    t.pre_tokenizer = PT.Sequence([PT.Whitespace(), PT.Digits(individual_digits=True)])
    t.train_from_iterator(train_lines[:10000], trainers.BpeTrainer(vocab_size=3000, special_tokens=specials, continuing_subword_prefix="##", end_of_word_suffix="</w>", limit_alphabet=300))
    return t

def bpe_bytefallback():
    t = Tokenizer(models.BPE(byte_fallback=True))
    t.normalizer = N.Sequence([N.Prepend("\u2581"), N.Replace(" ", "\u2581")])
    tr = trainers.BpeTrainer(vocab_size=1500, special_tokens=["<unk>"] + [f"<0x{b:02X}>" for b in range(256)], limit_alphabet=200)
    t.train_from_iterator(train_lines[:6000], tr)
    return t

def wordpiece_custom():
    t = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=12))
    t.normalizer = N.Sequence([N.NFKD(), N.Lowercase(), N.StripAccents(), N.Strip(left=True, right=False)])
    t.pre_tokenizer = PT.Sequence([PT.WhitespaceSplit(), PT.Punctuation(behavior="isolated"), PT.Digits(individual_digits=False)])
    t.train_from_iterator(train_lines, trainers.WordPieceTrainer(vocab_size=3000, special_tokens=specials))
    t.add_tokens([AddedToken("new york", normalized=True), AddedToken("<word>", single_word=True, normalized=False),
                  AddedToken("<l>", lstrip=True, normalized=False), AddedToken("<r>", rstrip=True, normalized=False)])
    t.add_special_tokens([AddedToken("<sp>", normalized=False)])
    return t

def split_wordlevel():
    t = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    t.normalizer = N.BertNormalizer(clean_text=True, handle_chinese_chars=True, strip_accents=True, lowercase=False)
    t.pre_tokenizer = PT.Sequence([PT.Split(Regex(r"\s+"), behavior="removed"), PT.Split("-", behavior="merged_with_previous"),
                                   PT.Split(Regex(r"[.,!?]"), behavior="merged_with_next"), PT.Split(Regex(r"\d+"), behavior="contiguous"),
                                   PT.CharDelimiterSplit("/")])
    t.train_from_iterator(train_lines, trainers.WordLevelTrainer(vocab_size=5000, special_tokens=["[UNK]"]))
    return t

def wordpiece_bert_variant():
    """BertNormalizer without clean_text/lowercase, but with strip_accents, on our WordPiece: the fast path's other options."""
    base = Tokenizer.from_file(os.path.join(shared, "tokenizers", "mbert-cased", "tokenizer.json"))
    d = json.loads(base.to_str())
    d["normalizer"] = {"type": "BertNormalizer", "clean_text": False, "handle_chinese_chars": False, "strip_accents": True, "lowercase": False}
    return Tokenizer.from_str(json.dumps(d)), d

trained = {
    "unigram-metaspace": unigram_metaspace,
    "unigram-bytefallback": unigram_bytefallback,
    "bpe-bytelevel": bpe_bytelevel,
    "bpe-subword": bpe_subword,
    "bpe-bytefallback": bpe_bytefallback,
    "wordpiece-custom": wordpiece_custom,
    "split-wordlevel": split_wordlevel,
}
fixture_dir = os.path.join(root, "test", "fixtures", "tokenizers")
os.makedirs(fixture_dir, exist_ok=True)
toks = {}
for name, make in trained.items():
    t = make()
    path = os.path.join(fixture_dir, name + ".json")
    t.save(path)
    toks[name] = (Tokenizer.from_file(path), 5000, "test/fixtures/tokenizers/" + name + ".json")
for name in ("mbert-uncased", "bert-base-uncased", "mbert-cased"):
    p = os.path.join(shared, "tokenizers", name, "tokenizer.json")
    toks[name] = (Tokenizer.from_file(p), len(corpus), "../shared/tokenizers/" + name + "/tokenizer.json")
p = os.path.join(shared, "tokenizers", "mbert-uncased", "tokenizer.legacy-schema.json")
toks["mbert-uncased-legacy"] = (Tokenizer.from_file(p), 2000, "../shared/tokenizers/mbert-uncased/tokenizer.legacy-schema.json")
# BERT normalizer option variant: written to a fixture as a patch of the shared cased tokenizer (only its normalizer differs)
variant, _ = wordpiece_bert_variant()
toks["mbert-cased-strip"] = (variant, 20000, "../shared/tokenizers/mbert-cased/tokenizer.json+normalizer(strip_accents)")

# ---------- fuzz set ----------
rng = random.Random(20261127)
def pick_cat(cats, lo=0, hi=0x10FFFF):
    while True:
        cp = rng.randint(lo, hi)
        if 0xD800 <= cp <= 0xDFFF:
            continue
        if unicodedata.category(chr(cp)) in cats:
            return chr(cp)

pools = {
    "combining": lambda: rng.choice("aeiouAEIOUnc") + "".join(pick_cat({"Mn", "Mc", "Me"}, 0x300, 0x1FFFF) for _ in range(rng.randint(1, 4))),
    "control": lambda: pick_cat({"Cc"}, 0, 0xA0),
    "format": lambda: rng.choice(["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\ufeff", "\u2060", "\u00ad", "\u202e", "\u2066", "\U000e0001", "\u061c"]),
    "astral_cjk": lambda: pick_cat({"Lo"}, 0x20000, 0x3134F),
    "cjk": lambda: pick_cat({"Lo"}, 0x3400, 0x9FFF),
    "compat_cjk": lambda: pick_cat({"Lo"}, 0xF900, 0xFAFF),
    "emoji": lambda: rng.choice(["😀", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "❤️", "🧑🏿‍💻", "🫠", "🥰", "⌚", "👋🏻"]),
    "fullwidth": lambda: chr(rng.randint(0xFF01, 0xFF5E)),
    "unassigned": lambda: pick_cat({"Cn"}, 0x0370, 0x3FFFF),
    "private": lambda: pick_cat({"Co"}, 0xE000, 0x10FFFD),
    "letters": lambda: pick_cat({"Lu", "Ll", "Lt", "Lm", "Lo"}, 0x80, 0x2FFFF),
    "punct": lambda: pick_cat({"Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"}, 0, 0x1FFFF),
    "symbol": lambda: pick_cat({"Sm", "Sc", "Sk", "So"}, 0, 0x1FFFF),
    "number": lambda: pick_cat({"Nd", "Nl", "No"}, 0, 0x1FFFF),
    "space": lambda: rng.choice([" ", "\t", "\n", "\r", "\u00a0", "\u3000", "\u2028", "\u2029", "\u1680", "\u2003", "\u0085", "\u000b", "\u000c", "\u001f"]),
    "ascii": lambda: "".join(chr(rng.randint(0x20, 0x7E)) for _ in range(rng.randint(1, 8))),
    "word": lambda: rng.choice(["hello", "World", "naïve", "ΟΔΟΣ", "İstanbul", "Straße", "ﬁne", "Ⅻ", "½", "ǅ", "ᾈ", "ŉ", "ΐ", "Ｆｕｌｌ", "안녕하세요", "مرحبا", "नमस्ते", "สวัสดี", "ka\u0301rma", "New York", "new  york"]),
    "special": lambda: rng.choice(["[CLS]", "[SEP]", "[UNK]", "[MASK]", "[PAD]", "[cls]", "[CLS", "x[SEP]y", "<s>", "</s>", "<unk>", "<|endoftext|>", "<word>", "a<word>b", " <l> ", " <r> ", "<sp>", "[[CLS]]"]),
    "reorder": lambda: rng.choice(["\U0001d165", "\U0001d166", "\U0001d16d", "\u302e", "\u1b44", "\ua953"]) + rng.choice(["\u0301", "\u0316", "\u0334", "\U0001d16e", "\u1b44", ""]),
    "long": lambda: rng.choice("abcdéxyz") * rng.choice([11, 12, 13, 99, 100, 101, 150, 300]),
    "digits": lambda: "".join(rng.choice("0123456789٠١٢३४") for _ in range(rng.randint(1, 12))),
    "joiners": lambda: rng.choice(["-", "/", ".", ",", "!", "?", "--", "a-b", "1/2", "3.14"]),
}
names = list(pools)
fuzz = []
for i in range(1500):
    k = rng.randint(1, 12)
    parts = [pools[rng.choice(names)]() for _ in range(k)]
    sep = rng.choice(["", " ", " ", "  "])
    fuzz.append(sep.join(parts))
fuzz += ["", " ", "\u0000", "\ufffd", "a\u0000b", "\u00ad", "\ufeffbom", "\U0001d165\u0301\U0001d16e", "é" * 101, "x" * 5000]

golden_dir = os.path.join(root, "test", "golden")
os.makedirs(os.path.join(golden_dir, "corpus"), exist_ok=True)
with open(os.path.join(golden_dir, "fuzz.jsonl"), "w", encoding="utf-8") as f:
    for text in fuzz:
        row = {"text": text}
        for name, (t, _, _) in toks.items():
            row[name] = t.encode(text, add_special_tokens=False).ids
        f.write(json.dumps(row, ensure_ascii=False) + "\n")

manifest = {"tokenizers_version": tokenizers.__version__, "corpus_sha256": sha256(corpus_path), "corpus_lines": len(corpus), "tokenizers": {}}
for name, (t, n, src) in toks.items():
    hashes = bytearray()
    total = 0
    for i in range(0, n, 4096):
        for e in t.encode_batch(corpus[i:min(n, i + 4096)], add_special_tokens=False):
            hashes += ids_hash(e.ids).to_bytes(4, "little")
            total += len(e.ids)
    with open(os.path.join(golden_dir, "corpus", name + ".u32"), "wb") as f:
        f.write(hashes)
    entry = {"source": src, "lines": n, "total_ids": total}
    if src.startswith("../shared/") and "+" not in src:
        entry["sha256"] = sha256(os.path.join(root, src))
    manifest["tokenizers"][name] = entry
    print(name, n, total, file=sys.stderr)
with open(os.path.join(golden_dir, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=1)
