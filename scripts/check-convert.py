"""Loads folders written by `static-embed convert` in Python sentence-transformers (and model2vec when it is
installed) and compares their embeddings with static-embed's on the same texts.

Usage: PYTHON scripts/check-convert.py TEXTS_FILE  FOLDER=OURS.npy [FOLDER=OURS.npy …]
OURS.npy: `static-embed encode --model FOLDER --input TEXTS_FILE --format npy --output OURS.npy`.
Prints one line per folder and library: the largest absolute difference.
"""
import sys
import numpy as np

texts = open(sys.argv[1], encoding="utf-8").read().split("\n")
if texts and texts[-1] == "":
    texts.pop()
for arg in sys.argv[2:]:
    folder, ours = arg.split("=")
    mine = np.load(ours)
    try:
        from sentence_transformers import SentenceTransformer
        m = SentenceTransformer(folder, device="cpu").float()  # fp32 compute, as static-embed accumulates
        e = m.encode(texts, convert_to_numpy=True)
        print(f"{folder}: sentence-transformers max |diff| = {float(np.abs(e - mine).max()):.3g}")
    except Exception as ex:  # model2vec layout, or an int8 table it must refuse
        print(f"{folder}: sentence-transformers refused ({type(ex).__name__}: {str(ex)[:80]})")
    try:
        from model2vec import StaticModel
        e = StaticModel.from_pretrained(folder).encode(texts)
        print(f"{folder}: model2vec max |diff| = {float(np.abs(e - mine).max()):.3g}")
    except ImportError:
        print(f"{folder}: model2vec is not installed here")
    except Exception as ex:
        print(f"{folder}: model2vec refused ({type(ex).__name__}: {str(ex)[:80]})")
