"""The model2vec peer of bench/cold-start.ts: one cold process that imports model2vec, loads a model folder, embeds
two texts, and optionally encodes a corpus (median of --repeats); prints one JSON object (seconds, peak RSS)."""
import argparse, json, resource, statistics, time

t0 = time.perf_counter()
ap = argparse.ArgumentParser()
ap.add_argument("--model", required=True)
ap.add_argument("--corpus")
ap.add_argument("--repeats", type=int, default=3)
a = ap.parse_args()
from model2vec import StaticModel  # noqa: E402

t1 = time.perf_counter()
model = StaticModel.from_pretrained(a.model)
t2 = time.perf_counter()
model.encode(["a", "b"])
t3 = time.perf_counter()
out = {"import_s": t1 - t0, "load_s": t2 - t1, "first_s": t3 - t2, "total_s": t3 - t0, "dtype": str(model.embedding.dtype)}
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if a.corpus:
    lines = open(a.corpus, encoding="utf-8").read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    xs = []
    for _ in range(a.repeats):
        t = time.perf_counter()
        model.encode(lines, use_multiprocessing=False)
        xs.append(time.perf_counter() - t)
    out["encode_median_s"] = statistics.median(xs)
    out["lines"] = len(lines)
print(json.dumps(out))
