"""The sentence-transformers peer of bench/mine.ts: util.paraphrase_mining_embeddings on the same embeddings.

Usage: PYTHON bench/peers/st_mine.py EMBEDDINGS.npy [--threads T] [--top-k K] [--max-pairs N] [--repeats R]
Prints one JSON object: median seconds and the pairs [score, i, j] of the last run.
"""
import argparse, json, os, statistics, time

ap = argparse.ArgumentParser()
ap.add_argument("embeddings")
ap.add_argument("--threads", type=int, default=2); ap.add_argument("--top-k", type=int, default=5)
ap.add_argument("--max-pairs", type=int, default=100); ap.add_argument("--repeats", type=int, default=1)
a = ap.parse_args()
os.environ["OMP_NUM_THREADS"] = str(a.threads)
import numpy as np, torch
from sentence_transformers import util
torch.set_num_threads(a.threads)
E = torch.from_numpy(np.load(a.embeddings))
xs = []
for _ in range(a.repeats):
    t = time.perf_counter(); pairs = util.paraphrase_mining_embeddings(E, top_k=a.top_k, max_pairs=a.max_pairs); xs.append(time.perf_counter() - t)
print(json.dumps({"median_s": statistics.median(xs), "threads": torch.get_num_threads(), "pairs": [[float(s), int(i), int(j)] for s, i, j in pairs]}))
