"""Goldens for the evaluation metrics (issue 6) from scipy, scikit-learn and sentence-transformers' evaluators, on the
task embeddings (test/golden/task-embeddings.npy, made by make-task-goldens.py).

Usage: PYTHON scripts/make-eval-goldens.py   (PYTHON from ../shared/tools/setup-python-reference.sh)
Writes test/golden/eval-metrics.json: gold scores / labels (seeded, with ties) and the reference metrics.
"""
import json, os
import numpy as np
from scipy.stats import pearsonr, spearmanr
from sklearn.metrics import average_precision_score, f1_score, precision_score, recall_score, accuracy_score
from sklearn.metrics.pairwise import paired_cosine_distances, paired_euclidean_distances, paired_manhattan_distances
from sentence_transformers.evaluation import BinaryClassificationEvaluator
from sentence_transformers import util
import torch

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
E = np.load(os.path.join(root, "test", "golden", "task-embeddings.npy"))
a, b = E[:500], E[500:1000]
rng = np.random.default_rng(6)
cos = 1 - paired_cosine_distances(a, b)
gold = np.round(np.clip(2.5 + 6 * (cos - cos.mean()) + rng.normal(0, 1, len(cos)), 0, 5) * 2) / 2  # many ties
man, euc = -paired_manhattan_distances(a, b), -paired_euclidean_distances(a, b)
sts = {}
for name, s in (("cosine", cos), ("manhattan", man), ("euclidean", euc)):
    sts[f"{name}_pearson"] = float(pearsonr(gold, s)[0])
    sts[f"{name}_spearman"] = float(spearmanr(gold, s)[0])
labels = (gold >= 2.5).astype(int)
pairs = {}
for name, s, high in (("cosine", cos, True), ("dot", (a * b).sum(1), True), ("manhattan", -man, False), ("euclidean", -euc, False)):
    acc, _ = BinaryClassificationEvaluator.find_best_acc_and_threshold(s, labels, high)
    f1, p, r, _ = BinaryClassificationEvaluator.find_best_f1_and_threshold(s, labels, high)
    ap = average_precision_score(labels, s * (1 if high else -1))
    pairs.update({f"{name}_accuracy": float(acc), f"{name}_f1": float(f1), f"{name}_precision": float(p), f"{name}_recall": float(r), f"{name}_ap": float(ap)})
src = E[:300]
tgt = E[:300] + rng.normal(0, 0.35, (300, E.shape[1])).astype(np.float32)
tgt = tgt.astype(np.float32)
hits = util.semantic_search(torch.from_numpy(src), torch.from_numpy(tgt), top_k=1)
pred = [h[0]["corpus_id"] for h in hits]
truth = list(range(300))
bitext = {"precision": precision_score(truth, pred, zero_division=0, average="weighted"), "recall": recall_score(truth, pred, zero_division=0, average="weighted"),
          "f1": f1_score(truth, pred, zero_division=0, average="weighted"), "accuracy": accuracy_score(truth, pred)}
out = {"gold": gold.tolist(), "labels": labels.tolist(), "sts": sts, "pairs": pairs, "bitext_target": tgt.tolist(), "bitext": {k: float(v) for k, v in bitext.items()}}
with open(os.path.join(root, "test", "golden", "eval-metrics.json"), "w") as f:
    json.dump(out, f)
print(sts["cosine_spearman"], pairs["cosine_ap"], bitext["f1"])

# ---- the real datasets with a real model, through sentence-transformers' own evaluators ----
import csv
from sentence_transformers import SentenceTransformer
from sentence_transformers.evaluation import EmbeddingSimilarityEvaluator
shared = os.path.join(root, "..", "shared")
model = SentenceTransformer(os.path.join(shared, "fixtures", "synthetic-mbert-16d", "st-16d-fp16"), device="cpu").float()
real = {"sts": {}, "pairs": {}, "bitext": {}}
for lang in ("en", "de", "zh"):
    with open(os.path.join(shared, "eval", "stsb-multi-mt", "data", f"stsb-{lang}-test.csv"), encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    ev = EmbeddingSimilarityEvaluator([r[0] for r in rows], [r[1] for r in rows], [float(r[2]) / 5 for r in rows], main_similarity="cosine")
    res = ev(model)
    real["sts"][lang] = {k.split("_", 1)[1] if k.startswith("eval_") else k: v for k, v in res.items()}
for lang in ("en", "fr"):
    rows = [l.rstrip("\n").split("\t") for l in open(os.path.join(shared, "eval", "pawsx", f"dev-{lang}.tsv"), encoding="utf-8")]
    rows = [r for r in rows if len(r) == 3]
    ev = BinaryClassificationEvaluator([r[0] for r in rows], [r[1] for r in rows], [int(r[2]) for r in rows])
    real["pairs"][lang] = ev(model)
for lang in ("deu", "fra", "cmn"):
    src = open(os.path.join(shared, "eval", "tatoeba", f"tatoeba.{lang}-eng.{lang}"), encoding="utf-8").read().split("\n")
    eng = open(os.path.join(shared, "eval", "tatoeba", f"tatoeba.{lang}-eng.eng"), encoding="utf-8").read().split("\n")
    if src[-1] == "": src.pop()
    if eng[-1] == "": eng.pop()
    hits = util.semantic_search(model.encode(src, convert_to_tensor=True), model.encode(eng, convert_to_tensor=True), top_k=1)
    pred = [h[0]["corpus_id"] for h in hits]
    real["bitext"][lang] = float(f1_score(list(range(len(src))), pred, zero_division=0, average="weighted"))
with open(os.path.join(root, "test", "golden", "eval-real.json"), "w") as f:
    json.dump(real, f, indent=1)
print(json.dumps(real)[:600])
