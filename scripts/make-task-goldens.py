"""Goldens for the embedding tasks (issue 5) from sentence-transformers' own util / quantization functions.

Usage: PYTHON scripts/make-task-goldens.py [SHARED_DIR]   (PYTHON from ../shared/tools/setup-python-reference.sh)
Embeddings of real text: the first 2,000 lines with at least one token of ../shared/corpus/bench-corpus.txt encoded with the
synthetic 16-d model (../shared/fixtures/synthetic-mbert-16d/st-16d-fp16) as static-embed encodes them (mean of the
fp16 rows in float64, stored as float32). They are written to test/golden/task-embeddings.npy so that both sides run
the algorithms on identical inputs; the outputs go to test/golden/tasks.json.
"""
import json, os, sys
import numpy as np
import torch
from safetensors.numpy import load_file
from tokenizers import Tokenizer
from sentence_transformers import util
from sentence_transformers.util.quantization import quantize_embeddings

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared")
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
model = os.path.join(shared, "fixtures", "synthetic-mbert-16d", "st-16d-fp16", "0_StaticEmbedding")
tok = Tokenizer.from_file(os.path.join(model, "tokenizer.json"))
W = load_file(os.path.join(model, "model.safetensors"))["embedding.weight"].astype(np.float64)
# lines with at least one token: an empty bag is a zero vector, whose scores all tie (the order of ties is torch's)
lines = [l for l in open(os.path.join(shared, "corpus", "bench-corpus.txt"), encoding="utf-8").read().split("\n")
         if tok.encode(l, add_special_tokens=False).ids][:2000]
E = np.stack([W[tok.encode(l, add_special_tokens=False).ids].mean(0) for l in lines]).astype(np.float32)
# distinct rows only: equal embeddings tie exactly, and torch.topk orders ties arbitrarily (even run to run)
_, first = np.unique(E, axis=0, return_index=True)
E = E[np.sort(first)][:1500]
np.save(os.path.join(root, "test", "golden", "task-embeddings.npy"), E)
T = torch.from_numpy(E)
out = {"n": len(E), "dim": E.shape[1]}

def as_list(x):
    return x.tolist() if hasattr(x, "tolist") else x

a, b = T[:20], T[20:45]
out["similarity"] = {
    "cos_sim": as_list(util.cos_sim(a, b)), "dot_score": as_list(util.dot_score(a, b)),
    "euclidean_sim": as_list(util.euclidean_sim(a, b)), "manhattan_sim": as_list(util.manhattan_sim(a, b)),
    "pairwise_cos_sim": as_list(util.pairwise_cos_sim(a, T[20:40])), "pairwise_dot_score": as_list(util.pairwise_dot_score(a, T[20:40])),
    "pairwise_euclidean_sim": as_list(util.pairwise_euclidean_sim(a, T[20:40])), "pairwise_manhattan_sim": as_list(util.pairwise_manhattan_sim(a, T[20:40])),
}
Q = T[:60]
out["semantic_search"] = {
    "top_k": 10, "queries": 60,
    "cos_sim": util.semantic_search(Q, T, top_k=10),
    "cos_sim_small_chunks": util.semantic_search(Q, T, top_k=10, query_chunk_size=7, corpus_chunk_size=333),
    "dot_score": util.semantic_search(Q, T, top_k=5, score_function=util.dot_score),
}
out["paraphrase_mining"] = {
    "rows": 600, "top_k": 5, "max_pairs": 400,
    "pairs": util.paraphrase_mining_embeddings(T[:600], top_k=5, max_pairs=400),
    "pairs_small_chunks": util.paraphrase_mining_embeddings(T[:600], top_k=5, max_pairs=400, query_chunk_size=77, corpus_chunk_size=251),
    "all": util.paraphrase_mining_embeddings(T[:300], top_k=3),
}
sims = util.cos_sim(T, T).numpy()
np.fill_diagonal(sims, -1)
threshold = float(np.quantile(sims.max(1), 0.5))
out["community_detection"] = {
    "threshold": threshold, "min_community_size": 4,
    "communities": util.community_detection(T, threshold=threshold, min_community_size=4),
    "batch_small": util.community_detection(T, threshold=threshold, min_community_size=4, batch_size=97),
}
calib = E[1000:]
# a constant dimension (step 0 → 1) and values outside the ranges (clipped)
Eq = E[:100].copy()
Eq[:, 3] = 0.25
R = np.vstack((E.min(0) - 0.01, E.max(0) + 0.01))
out["quantize"] = {
    "rows": 100,
    "int8": quantize_embeddings(E[:100], "int8").tolist(),
    "int8_constant_dim": quantize_embeddings(Eq, "int8").tolist(),
    "uint8_outside": quantize_embeddings(E[:100] * 3, "uint8", ranges=np.vstack((E.min(0), E.max(0)))).tolist(),
    "binary_dim12": quantize_embeddings(E[:100, :12], "binary").tolist(),
    "int8_calibration": quantize_embeddings(E[:100], "int8", calibration_embeddings=calib).tolist(),
    "uint8_ranges": quantize_embeddings(E[:100], "uint8", ranges=R).tolist(),
    "ranges": R.tolist(),
    "binary": quantize_embeddings(E[:100], "binary").tolist(),
    "ubinary": quantize_embeddings(E[:100], "ubinary").tolist(),
}
print("communities", len(out["community_detection"]["communities"]), "threshold", threshold, file=sys.stderr)
with open(os.path.join(root, "test", "golden", "tasks.json"), "w") as f:
    json.dump(out, f)

# ---- clustering and classification: scikit-learn ----
import csv
from sklearn.cluster import KMeans, AgglomerativeClustering
from sklearn.linear_model import LogisticRegression

extra = {}
km = KMeans(n_clusters=8, init=E[:8].astype(np.float64), n_init=1, max_iter=300, tol=1e-4, algorithm="lloyd").fit(E.astype(np.float64))
extra["kmeans"] = {"k": 8, "inertia": float(km.inertia_), "labels": km.labels_.tolist(), "n_iter": int(km.n_iter_)}
extra["agglomerative"] = {}
for linkage in ("average", "complete", "single"):
    thr = {"average": 0.35, "complete": 0.6, "single": 0.15}[linkage]
    ac = AgglomerativeClustering(n_clusters=None, distance_threshold=thr, linkage=linkage, metric="cosine").fit(E[:400])
    extra["agglomerative"][linkage] = {"threshold": thr, "labels": ac.labels_.tolist()}

def embed(texts):
    return np.stack([W[ids].mean(0) if (ids := tok.encode(t, add_special_tokens=False).ids) else np.zeros(W.shape[1]) for t in texts]).astype(np.float32)

extra["classification"] = {}
for lang in ("english", "french", "german"):
    d = os.path.join(shared, "eval", "multilingual-sentiment", lang)
    def read(split):
        with open(os.path.join(d, f"{split}.csv"), encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        return [r["text"] for r in rows], [r["label"] for r in rows]
    Xtr, ytr = read("train")
    Xte, yte = read("test")
    Etr, Ete = embed(Xtr), embed(Xte)
    clf = LogisticRegression(max_iter=1000).fit(Etr, ytr)
    default = LogisticRegression().fit(Etr, ytr)
    extra["classification"][lang] = {
        "train": len(Xtr), "test": len(Xte), "accuracy": float((clf.predict(Ete) == np.array(yte)).mean()),
        "accuracy_default_max_iter": float((default.predict(Ete) == np.array(yte)).mean()),
        "predictions": clf.predict(Ete).tolist(),
    }
    print(lang, extra["classification"][lang]["accuracy"], file=sys.stderr)
with open(os.path.join(root, "test", "golden", "tasks-sklearn.json"), "w") as f:
    json.dump(extra, f)
