"""Loads folders written by `static-embed convert` in Python sentence-transformers and model2vec (when installed)
and compares their embeddings with static-embed's on the same texts, text by text.

Usage: PYTHON scripts/check-convert.py TEXTS_FILE FOLDER=OURS.npy[,OURS_M2V.npy] [...]
  OURS.npy:     static-embed encode --model FOLDER --input TEXTS_FILE --output OURS.npy
  OURS_M2V.npy: the same with --profile model2vec (optional): compared with model2vec as well.

The libraries do not all tokenize alike. sentence-transformers tokenizes as static-embed's sentence-transformers
profile (the default for that layout). model2vec, which also loads a sentence-transformers folder, drops the unknown
token (except in Unigram models) and keeps only the first 512 tokens of a text, as static-embed's model2vec profile
(the default for the model2vec layout). So on a sentence-transformers folder model2vec differs on exactly those
texts; this script says how many texts differ and why. A text counts as agreeing when every value is within
1e-3 + 1e-3 |value| (float16 tables are averaged in float16 by model2vec). Exit status 1 when a difference is left
unexplained.
"""
import json
import os
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")
MAX_TOKENS = 512  # model2vec's default max_length


def tokenizer_file(folder):
    for rel in ("0_StaticEmbedding/tokenizer.json", "tokenizer.json"):
        if os.path.exists(os.path.join(folder, rel)):
            return os.path.join(folder, rel)
    raise SystemExit(f"{folder}: no tokenizer.json")


def model2vec_rules(folder, texts):
    """Per text: (has an unknown token model2vec drops, more than 512 tokens); and whether model2vec drops unknowns."""
    from tokenizers import Tokenizer

    path = tokenizer_file(folder)
    model = json.load(open(path, encoding="utf-8"))["model"]
    tok = Tokenizer.from_file(path)
    unk = model.get("unk_token")
    unk_id = tok.token_to_id(unk) if isinstance(unk, str) and model.get("type") != "Unigram" else None
    out = []
    for t in texts:
        ids = tok.encode(t, add_special_tokens=False).ids
        out.append((unk_id is not None and unk_id in ids, len(ids) > MAX_TOKENS))
    return out, unk_id is not None


def differing(theirs, ours):
    bad = np.abs(theirs - ours) > 1e-3 + 1e-3 * np.abs(ours)
    return np.where(bad.any(axis=1))[0], float(np.abs(theirs - ours).max()) if len(ours) else 0.0


def explain(name, idx, rules, drops_unk, count_rest=True):
    unk = sum(1 for i in idx if rules[i][0])
    long = sum(1 for i in idx if rules[i][1] and not rules[i][0])
    rest = len(idx) - unk - long
    parts = ([f"{unk} with an unknown token ({name} drops it)"] if drops_unk else []) + [
        f"{long} with more than {MAX_TOKENS} tokens ({name} keeps the first {MAX_TOKENS})",
    ] + ([f"{rest} unexplained"] if count_rest else [])
    return ", ".join(parts), rest


texts = open(sys.argv[1], encoding="utf-8").read().split("\n")
if texts and texts[-1] == "":
    texts.pop()
unexplained = 0
for arg in sys.argv[2:]:
    folder, npys = arg.split("=", 1)
    ours, *rest = npys.split(",")
    mine = np.load(ours).astype(np.float32)
    mine_m2v = np.load(rest[0]).astype(np.float32) if rest else None
    st_layout = os.path.exists(os.path.join(folder, "modules.json"))
    n = len(texts)
    try:
        from sentence_transformers import SentenceTransformer

        m = SentenceTransformer(folder, device="cpu").float()  # fp32 compute, as static-embed accumulates
        idx, worst = differing(m.encode(texts, convert_to_numpy=True), mine)
        print(f"{folder}: sentence-transformers: {n - len(idx)} of {n} texts agree with static-embed (max |diff| {worst:.3g})")
        unexplained += len(idx)
    except Exception as ex:  # model2vec layout, or an int8 table it must refuse
        print(f"{folder}: sentence-transformers refused ({type(ex).__name__}: {str(ex)[:80]})")
    rules, drops_unk = model2vec_rules(folder, texts)
    would = [i for i, r in enumerate(rules) if r[0] or r[1]]
    try:
        from model2vec import StaticModel
    except ImportError:
        StaticModel = None
    if StaticModel is None:
        why, _ = explain("model2vec", would, rules, drops_unk, False)
        print(f"{folder}: model2vec is not installed here; its tokenization rules would change {len(would)} of {n} texts: {why}")
        continue
    try:
        e = np.asarray(StaticModel.from_pretrained(folder).encode(texts), dtype=np.float32)
    except Exception as ex:
        print(f"{folder}: model2vec refused ({type(ex).__name__}: {str(ex)[:80]})")
        continue
    idx, worst = differing(e, mine)
    line = f"{folder}: model2vec: {n - len(idx)} of {n} texts agree with static-embed (max |diff| {worst:.3g})"
    if len(idx) and st_layout:
        why, rest_n = explain("model2vec", idx, rules, drops_unk)
        print(f"{line}; {len(idx)} differ by model2vec's tokenization rules: {why}")
        unexplained += rest_n
    else:
        print(line)
        unexplained += len(idx)
    if mine_m2v is not None:
        idx, worst = differing(e, mine_m2v)
        print(f"{folder}: model2vec: {n - len(idx)} of {n} texts agree with static-embed --profile model2vec (max |diff| {worst:.3g})")
        unexplained += len(idx)
if unexplained:
    print(f"{unexplained} difference(s) not explained by the libraries' tokenization rules")
    sys.exit(1)
