"""Golden embeddings from model2vec itself (its StaticModel.from_pretrained + encode), for the model2vec-rs fixture
models, the synthetic 16-d fp16 model2vec folder, and folders written by `static-embed convert --layout model2vec`
(which must load in model2vec and give the embeddings static-embed gives).

Set-up: bash scripts/setup-reference.sh MODEL2VEC_SRC (model2vec's source tree on the reference venv's path).
Usage:  PYTHON scripts/make-model-goldens.py [SHARED_DIR]      (run from the repository; needs `npm run build`)
Writes test/golden/model2vec-rs.json: {model: {...}} with, per sentence id of
../shared/fixtures/synthetic-mbert-16d/sentences.jsonl (the texts stay in ../shared):
  rows         model2vec's computation in float32 or wider: its encode after widening a float16 table to float32
               (for every other table this is exactly its own output);
  rows_native  (float16 tables only) model2vec's own output, which it computes and returns in float16 —
               an intended difference of up to ≈6e-4 from static-embed, which accumulates in float32.
"""
import json, os, subprocess, sys, tempfile
import numpy as np
import model2vec
from model2vec import StaticModel

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
shared = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("STATIC_EMBED_SHARED", os.path.join(root, "..", "shared"))
fx = os.path.join(shared, "fixtures")
sentences = [json.loads(l) for l in open(os.path.join(fx, "synthetic-mbert-16d", "sentences.jsonl"), encoding="utf-8")]
texts = [s["text"] for s in sentences]

def encode_rows(m):
    e = m.encode(texts, batch_size=1024, use_multiprocessing=False)
    return e, {str(s["id"]): [float(x) for x in row] for s, row in zip(sentences, e)}

def golden(folder, source):
    m = StaticModel.from_pretrained(folder)
    native, native_rows = encode_rows(m)
    # the dtype model2vec returns for non-empty texts (a batch with an empty text is widened to float64 by its zeros)
    g = {"source": source, "dtype": str(m.embedding.dtype), "output_dtype": str(m.encode(["hello world"]).dtype),
         "normalize": bool(m.normalize), "median_token_length": int(m.median_token_length)}
    if m.embedding.dtype == np.float16:
        m.embedding = m.embedding.astype(np.float32)
        _, g["rows"] = encode_rows(m)
        g["rows_native"] = native_rows
    else:
        g["rows"] = native_rows
    print(source, g["dtype"], "->", g["output_dtype"], "normalize", g["normalize"], file=sys.stderr)
    return g

out = {"_model2vec": {"version": model2vec.__version__}}
for name in ["test-model-float32", "test-model-float16", "test-model-int8", "test-model-vocab-quantized",
             "test-model-sentence-transformers"]:
    out[name] = golden(os.path.join(fx, "model2vec-rs", name), f"fixtures/model2vec-rs/{name}")
out["synthetic-m2v-16d-fp16"] = golden(os.path.join(fx, "synthetic-mbert-16d", "m2v-16d-fp16"),
                                       "fixtures/synthetic-mbert-16d/m2v-16d-fp16")

# static-embed convert --layout model2vec: the written folders load in model2vec (the test converts the same way)
cli = os.path.join(root, "bin", "static-embed.js")
src = os.path.join(fx, "synthetic-mbert-16d", "st-16d-fp16")
with tempfile.TemporaryDirectory() as tmp:
    conversions = {
        "convert-m2v-float32": ["--dtype", "float32"],
        "convert-m2v-float16": ["--dtype", "float16"],
        "convert-m2v-float32-dim8-normalize": ["--dtype", "float32", "--dim", "8", "--normalize"],
    }
    for key, extra in conversions.items():
        d = os.path.join(tmp, key)
        subprocess.run(["node", cli, "convert", "--model", src, "--out", d, "--layout", "model2vec", *extra], check=True,
                       stdout=subprocess.DEVNULL)
        g = golden(d, f"static-embed convert --model fixtures/synthetic-mbert-16d/st-16d-fp16 --layout model2vec {' '.join(extra)}")
        g["convert_args"] = extra
        out[key] = g
with open(os.path.join(root, "test", "golden", "model2vec-rs.json"), "w") as f:
    json.dump(out, f)
