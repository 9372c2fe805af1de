"""The sentence-transformers peer of bench/search.ts: util.semantic_search on the same corpus and queries.

Usage: PYTHON bench/peers/st_search.py CORPUS.npy QUERIES.npy [--threads T] [--top-k K] [--repeats N]
Prints one JSON object: median seconds and the top-k ids of every query (from the last run).
"""
import argparse, json, os, statistics, time

ap = argparse.ArgumentParser()
ap.add_argument("corpus"); ap.add_argument("queries")
ap.add_argument("--threads", type=int, default=2); ap.add_argument("--top-k", type=int, default=10); ap.add_argument("--repeats", type=int, default=3)
a = ap.parse_args()
os.environ["OMP_NUM_THREADS"] = str(a.threads)
import numpy as np, torch
from sentence_transformers import util
torch.set_num_threads(a.threads)
C = torch.from_numpy(np.load(a.corpus)); Q = torch.from_numpy(np.load(a.queries))
util.semantic_search(Q[:10], C, top_k=a.top_k)  # warm-up
xs = []
for _ in range(a.repeats):
    t = time.perf_counter(); res = util.semantic_search(Q, C, top_k=a.top_k); xs.append(time.perf_counter() - t)
print(json.dumps({"median_s": statistics.median(xs), "threads": a.threads, "ids": [[h["corpus_id"] for h in r] for r in res]}))
