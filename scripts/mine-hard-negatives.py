"""English hard negatives for the later training stages of the default model (a probe of the model card's "Toward v3").

For each English anchor of the NTREX and stsb-train stage files, the English sentence nearest to it under MODEL
(cosine of mean-pooled rows at full width) among the English sentences of the stage files and of the general-domain
sentence pairs, skipping itself, near-duplicates (cosine above MAX_COS), its own translations and sentences that share
a translation with it; for stsb anchors, also every sentence of stsb itself (its paraphrases live there). Writes
OUT/ntrex-hn.jsonl and OUT/stsb-hn.jsonl (anchor, positive, negative) and OUT/ntrex-rest.jsonl and OUT/stsb-rest.jsonl
(the rows without an English anchor or a negative, as they were).

Usage (the reference venv, scripts/setup-reference.sh): python scripts/mine-hard-negatives.py MODEL DATA_DIR OUT [MAX_COS]
  DATA_DIR: the folder of `node scripts/make-default-data.mjs DATA_DIR --v3`; MAX_COS defaults to 0.9.
"""
import glob
import json
import os
import re
import struct
import sys

import numpy as np
from tokenizers import Tokenizer

STOP = set(
    "the a an is are was were of and to in on at for with by it this that he she they i you we his her their my your "
    "be been has have had not no do does did will would can could there what which who from as or but".split()
)


def english(s):
    """ASCII text with at least three words, a fifth of them common English function words."""
    if sum(c.isascii() for c in s) < 0.98 * len(s):
        return False
    words = re.findall(r"[a-z']+", s.lower())
    return len(words) >= 3 and sum(w in STOP for w in words) >= 0.2 * len(words)


def load(model):
    mod = os.path.join(model, "0_StaticEmbedding")
    raw = open(os.path.join(mod, "model.safetensors"), "rb").read()
    n = struct.unpack("<Q", raw[:8])[0]
    head = json.loads(raw[8 : 8 + n])

    def tensor(name, dtype):
        a, b = head[name]["data_offsets"]
        return np.frombuffer(raw[8 + n + a : 8 + n + b], dtype=dtype).reshape(head[name]["shape"])

    if "int8_table" in head:
        table = tensor("int8_table", np.int8).astype(np.float32) * tensor("scales", np.float32)[:, None]
    else:
        table = tensor("embedding.weight", np.float32)
    return table, Tokenizer.from_file(os.path.join(mod, "tokenizer.json"))


def embed(table, tok, texts):
    out = np.zeros((len(texts), table.shape[1]), np.float32)
    for i, e in enumerate(tok.encode_batch(texts, add_special_tokens=False)):
        if e.ids:
            out[i] = table[e.ids].mean(0)
    return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)


def rows(path):
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def main():
    model, data_dir, out_dir = sys.argv[1:4]
    max_cos = float(sys.argv[4]) if len(sys.argv) > 4 else 0.9
    table, tok = load(model)
    data = {"ntrex": rows(os.path.join(data_dir, "ntrex.jsonl")), "stsb": rows(os.path.join(data_dir, "stsb-train.jsonl"))}
    pool, owner, paired = set(), {}, {}
    for f in sorted(glob.glob(os.path.join(data_dir, "sentences-by-lang", "*.jsonl"))):
        pool.update(r["anchor"] for r in rows(f) if english(r["anchor"]))
    for name, rs in data.items():
        for r in rs:
            paired.setdefault(r["anchor"], set()).add(r["positive"])
            paired.setdefault(r["positive"], set()).add(r["anchor"])
            if english(r["anchor"]):
                pool.add(r["anchor"])
                owner.setdefault(r["anchor"], set()).add(name)
    pool = sorted(pool)
    index = {s: i for i, s in enumerate(pool)}
    vectors = embed(table, tok, pool)
    os.makedirs(out_dir, exist_ok=True)
    for name, rs in data.items():
        anchors = sorted({r["anchor"] for r in rs if r["anchor"] in index})
        negative = {}
        for s in range(0, len(anchors), 2048):
            sims = vectors[[index[a] for a in anchors[s : s + 2048]]] @ vectors.T
            for k, a in enumerate(anchors[s : s + 2048]):
                for j in np.argsort(-sims[k])[:50]:
                    c = pool[j]
                    mine, theirs = paired.get(a, set()), paired.get(c, set())
                    if c == a or sims[k, j] > max_cos or c in mine or mine & theirs:
                        continue
                    if name == "stsb" and "stsb" in owner.get(c, ()):
                        continue
                    negative[a] = c
                    break
        with open(os.path.join(out_dir, f"{name}-hn.jsonl"), "w", encoding="utf-8") as hn, open(
            os.path.join(out_dir, f"{name}-rest.jsonl"), "w", encoding="utf-8"
        ) as rest:
            for r in rs:
                if r["anchor"] in negative:
                    hn.write(json.dumps({**r, "negative": negative[r["anchor"]]}, ensure_ascii=False) + "\n")
                else:
                    rest.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{name}: {len(negative)} of {len(anchors)} English anchors have a negative", file=sys.stderr)


if __name__ == "__main__":
    main()
