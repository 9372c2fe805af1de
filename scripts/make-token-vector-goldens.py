"""Golden per-token vectors from model2vec itself (StaticModel.encode_as_sequence), for test/model/token-vectors.test.ts.

Set-up: bash scripts/setup-reference.sh MODEL2VEC_SRC (model2vec's source tree on the reference venv's path).
Usage:  PYTHON scripts/make-token-vector-goldens.py [SHARED_DIR]
Writes test/golden/token-vectors.json: per model (the model2vec-rs fixtures and the synthetic 16-d model2vec
folder), for sentences 0–39 of ../shared/fixtures/synthetic-mbert-16d/sentences.jsonl (texts stay in ../shared):
  default      encode_as_sequence(texts) (max_length None): the kept token ids and their rows (float32 LE, base64);
               sentence 21 (1,000 tokens) as its count, first and last 3 rows and the sum of its rows;
  max_length8  encode_as_sequence(texts, max_length=8) for the same sentences (rows as above).
The ids come from model2vec's own tokenize (which drops [UNK]) with the same max_length.
"""
import base64, json, os, sys
import numpy as np
import model2vec
from model2vec import StaticModel

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
shared = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("STATIC_EMBED_SHARED", os.path.join(root, "..", "shared"))
fx = os.path.join(shared, "fixtures")
sentences = [json.loads(l) for l in open(os.path.join(fx, "synthetic-mbert-16d", "sentences.jsonl"), encoding="utf-8")]
chosen = [s for s in sentences if s["id"] < 40]
texts = [s["text"] for s in chosen]
LONG = 21


def b64(rows):
    return base64.b64encode(np.ascontiguousarray(rows, dtype="<f4").tobytes()).decode("ascii")


def per_text(m, max_length):
    seqs = m.encode_as_sequence(texts, max_length=max_length, use_multiprocessing=False)
    ids = m.tokenize(texts, max_length=max_length)
    out = {}
    for s, rows, id_list in zip(chosen, seqs, ids):
        rows = np.asarray(rows, dtype=np.float64)
        assert rows.shape[0] == len(id_list)
        if s["id"] == LONG and max_length is None:
            out[str(s["id"])] = {"n": len(id_list), "ids_head": id_list[:3], "first": b64(rows[:3]),
                                 "last": b64(rows[-3:]), "sum": [float(x) for x in rows.sum(axis=0)]}
        else:
            out[str(s["id"])] = {"ids": id_list, "rows": b64(rows)}
    return out


out = {"_model2vec": {"version": model2vec.__version__}}
folders = {name: os.path.join(fx, "model2vec-rs", name) for name in
           ["test-model-float32", "test-model-float16", "test-model-int8", "test-model-vocab-quantized"]}
folders["synthetic-m2v-16d-fp16"] = os.path.join(fx, "synthetic-mbert-16d", "m2v-16d-fp16")
for name, folder in folders.items():
    m = StaticModel.from_pretrained(folder)
    out[name] = {"source": os.path.relpath(folder, shared), "dim": int(m.dim), "dtype": str(m.embedding.dtype),
                 "default": per_text(m, None), "max_length8": per_text(m, 8)}
    print(name, m.embedding.dtype, m.dim, file=sys.stderr)
with open(os.path.join(root, "test", "golden", "token-vectors.json"), "w", encoding="utf-8") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
