"""Goldens for the training loss (issue 8): sentence-transformers' MatryoshkaLoss(MultipleNegativesRankingLoss) (and,
for --loss symmetric, MatryoshkaLoss(MultipleNegativesSymmetricRankingLoss)) on
the synthetic 16-d model (fp32), for a fixed batch of (anchor, positive, negative) texts: the loss value and the
gradient of the embedding table for the rows the batch touches.

Usage: PYTHON scripts/make-train-goldens.py   (PYTHON from ../shared/tools/setup-python-reference.sh)
Writes test/golden/train-loss.json.
"""
import json, os
import torch
from sentence_transformers import SentenceTransformer, losses

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
shared = os.path.join(root, "..", "shared")
model = SentenceTransformer(os.path.join(shared, "fixtures", "synthetic-mbert-16d", "st-16d-fp16"), device="cpu").float()
anchors = ["A man is playing a guitar.", "Der Himmel ist blau.", "How old are you?", "Je mange une pomme.", "東京は大きい都市です。"]
positives = ["Someone plays the guitar.", "The sky is blue.", "¿Cuántos años tienes?", "I am eating an apple.", "Tokyo is a big city."]
negatives = ["The cat sleeps.", "Es regnet heute.", "Where is the station?", "Il fait froid.", "猫が寝ています。"]
out = {"anchors": anchors, "positives": positives, "negatives": negatives, "cases": []}
ALL = ("query_to_doc", "query_to_query", "doc_to_query", "doc_to_doc")
for dims, with_neg, symmetric, gte in (([16, 8, 4], False, False, False), ([16, 8, 4, 2], True, False, False), ([16, 8, 4], False, True, False), ([16, 8, 4, 2], True, True, False), ([16, 8, 4], False, False, True), ([16, 8, 4, 2], True, False, True)):
    model.zero_grad()
    if gte:  # --loss gte: GTE's improved contrastive loss
        mnrl = losses.MultipleNegativesRankingLoss(model, directions=ALL, partition_mode="joint")
    else:
        mnrl = losses.MultipleNegativesSymmetricRankingLoss(model) if symmetric else losses.MultipleNegativesRankingLoss(model)
    loss_fn = losses.MatryoshkaLoss(model, mnrl, matryoshka_dims=dims)
    cols = [anchors, positives] + ([negatives] if with_neg else [])
    feats = [model.tokenize(c) for c in cols]
    loss = loss_fn(feats, labels=None)
    loss.backward()
    W = model[0].embedding.weight
    grad = W.grad.to_dense() if W.grad.is_sparse else W.grad
    rows = sorted(set(int(i) for f in feats for i in f["input_ids"].tolist()))
    out["cases"].append({"dims": dims, "negatives": with_neg, "symmetric": symmetric, "gte": gte, "loss": float(loss), "grad_rows": rows, "grads": [grad[r].tolist() for r in rows]})
    print(dims, with_neg, symmetric, gte, float(loss))
with open(os.path.join(root, "test", "golden", "train-loss.json"), "w") as f:
    json.dump(out, f)
