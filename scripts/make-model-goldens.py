"""Golden embeddings for the model2vec-rs fixture models under model2vec's encoding rules, computed in float64
with numpy from each model's own stored table (model2vec itself cannot be installed here; this follows its
StaticModel.encode @ the version read for issue 3: drop the tokenizer's unk_token id (models with an unk_token),
pre-cut texts to max_length * median_token_length code points, keep the first max_length=512 ids, mean of
rows (vocabulary-quantized: embeddings[mapping[id]] * weights[id]), then v / (||v|| + 1e-32) when normalize).

Usage: PYTHON scripts/make-model-goldens.py [SHARED_DIR]
Writes test/golden/model2vec-rs.json: {model: {sentence id: vector}} for the sentences of
../shared/fixtures/synthetic-mbert-16d/sentences.jsonl (texts are read from there by the test, not stored here).
"""
import json, os, sys
import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

shared = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared")
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
fx = os.path.join(shared, "fixtures", "model2vec-rs")
sentences = [json.loads(l) for l in open(os.path.join(shared, "fixtures", "synthetic-mbert-16d", "sentences.jsonl"), encoding="utf-8")]

models = {
    "test-model-float32": ("config.json", "embeddings"),
    "test-model-float16": ("config.json", "embeddings"),
    "test-model-int8": ("config.json", "embeddings"),
    "test-model-vocab-quantized": ("config.json", "embeddings"),
    "test-model-sentence-transformers": ("config_sentence_transformers.json", "embedding.weight"),
}
out = {}
for name, (cfg_name, tensor) in models.items():
    d = os.path.join(fx, name)
    cfg = json.load(open(os.path.join(d, cfg_name)))
    normalize = bool(cfg.get("normalize", False))
    tok = Tokenizer.from_file(os.path.join(d, "tokenizer.json"))
    t = load_file(os.path.join(d, "model.safetensors"))
    emb = t[tensor].astype(np.float64)
    weights = t.get("weights")
    mapping = t.get("mapping")
    vocab = tok.get_vocab()
    tokens = [k for k, _ in sorted(vocab.items(), key=lambda x: x[1])]
    median = int(np.median([len(x) for x in tokens]))
    unk_tok = getattr(tok.model, "unk_token", None)
    unk = vocab[unk_tok] if unk_tok is not None else None
    rows = {}
    for s in sentences:
        ids = tok.encode(s["text"][: 512 * median], add_special_tokens=False).ids
        if unk is not None:
            ids = [i for i in ids if i != unk]
        ids = ids[:512]
        if not ids:
            v = np.zeros(emb.shape[1])
        else:
            e = emb[mapping[ids]] if mapping is not None else emb[ids]
            if weights is not None:
                e = e * weights[ids].astype(np.float64)[:, None]
            v = e.mean(0)
            if normalize:
                v = v / (np.linalg.norm(v) + 1e-32)
        rows[str(s["id"])] = [float(x) for x in v]
    out[name] = {"normalize": normalize, "median_token_length": median, "rows": rows}
    print(name, emb.shape, "normalize", normalize, "median", median, file=sys.stderr)
with open(os.path.join(root, "test", "golden", "model2vec-rs.json"), "w") as f:
    json.dump(out, f)
