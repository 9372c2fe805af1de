"""Golden token offsets from the Rust `tokenizers` library (the reference), for test/tokenizer/offsets.test.ts.

Usage: PYTHON scripts/make-offset-goldens.py [SHARED_DIR]   (PYTHON: ../shared/tools/setup-python-reference.sh)

For every tokenizer of test/golden/manifest.json (plus the Unigram tokenizer of the model2vec-rs vocabulary-quantized
fixture, and the ByteLevel tokenizer with offset trimming), on the fuzz strings of test/golden/fuzz.jsonl and the first 2,000 benchmark-corpus lines, writes
test/golden/offsets/<name>.u32: one uint32 (LE) per text, the hash of `encoding.offsets` (code points of the original
text, encode_batch with add_special_tokens=False): FNV-1a over start, end of every token, then over the count.
"""
import json, os, sys
from array import array
from tokenizers import Tokenizer

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared")
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
manifest = json.load(open(os.path.join(root, "test", "golden", "manifest.json"), encoding="utf-8"))
fuzz = [json.loads(l)["text"] for l in open(os.path.join(root, "test", "golden", "fuzz.jsonl"), encoding="utf-8")]
with open(os.path.join(shared, "corpus", "bench-corpus.txt"), encoding="utf-8") as f:
    corpus = f.read().split("\n")[:2000]
texts = fuzz + corpus


def load(name, source):
    if name == "mbert-cased-strip":
        d = json.load(open(os.path.join(shared, "tokenizers", "mbert-cased", "tokenizer.json"), encoding="utf-8"))
        d["normalizer"] = {"type": "BertNormalizer", "clean_text": False, "handle_chinese_chars": False,
                           "strip_accents": True, "lowercase": False}
        return Tokenizer.from_str(json.dumps(d))
    if name == "bpe-bytelevel-trim":
        d = json.load(open(os.path.join(root, "test", "fixtures", "tokenizers", "bpe-bytelevel.json"), encoding="utf-8"))
        d["post_processor"] = {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True}
        return Tokenizer.from_str(json.dumps(d))
    path = os.path.join(shared, source[len("../shared/"):]) if source.startswith("../shared/") else os.path.join(root, source)
    return Tokenizer.from_file(path)


def offsets_hash(offsets):
    h = 0x811C9DC5
    for a, b in offsets:
        h = ((h ^ a) * 0x01000193) & 0xFFFFFFFF
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return ((h ^ len(offsets)) * 0x01000193) & 0xFFFFFFFF


sources = {name: entry["source"] for name, entry in manifest["tokenizers"].items()}
sources["bpe-bytelevel-trim"] = "test/fixtures/tokenizers/bpe-bytelevel.json+post_processor(ByteLevel)"
sources["m2v-vocab-quantized"] = "../shared/fixtures/model2vec-rs/test-model-vocab-quantized/tokenizer.json"
out_dir = os.path.join(root, "test", "golden", "offsets")
os.makedirs(out_dir, exist_ok=True)
for name, source in sources.items():
    tok = load(name, source)
    encodings = tok.encode_batch(texts, add_special_tokens=False)
    hashes = array("I", (offsets_hash(e.offsets) for e in encodings))
    if sys.byteorder != "little":
        hashes.byteswap()
    with open(os.path.join(out_dir, name + ".u32"), "wb") as f:
        hashes.tofile(f)
    print(name, len(hashes))
