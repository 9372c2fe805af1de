"""Exports a static model's table as an ONNX graph for the transformers.js peer of bench/encode.ts:
inputs `input_ids` (int64 [n_ids]) and `offsets` (int64 [batch]) → `embeddings` (float32 [batch, dim]), the mean
of each bag's rows (torch.nn.EmbeddingBag(mode="mean"), exactly what sentence-transformers' StaticEmbedding runs).

Usage: PYTHON scripts/export-onnx.py MODEL_DIR OUT_DIR   (PYTHON from ../shared/tools/setup-python-reference.sh)
Writes OUT_DIR/model.onnx, and tokenizer.json (copied) with a tokenizer_config.json next to it.
"""
import os, shutil, sys
import torch
from safetensors.torch import load_file

model_dir, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
sub = "0_StaticEmbedding" if os.path.isdir(os.path.join(model_dir, "0_StaticEmbedding")) else ""
tensors = load_file(os.path.join(model_dir, sub, "model.safetensors"))
w = tensors.get("embedding.weight", tensors.get("embeddings")).float()


class Bag(torch.nn.Module):
    def __init__(self, weight):
        super().__init__()
        self.bag = torch.nn.EmbeddingBag.from_pretrained(weight, mode="mean", freeze=True)

    def forward(self, input_ids, offsets):
        return self.bag(input_ids, offsets)


m = Bag(w).eval()
ids = torch.tensor([1, 2, 3, 4, 5], dtype=torch.int64)
offs = torch.tensor([0, 2], dtype=torch.int64)
path = os.path.join(out, "model.onnx")
torch.onnx.export(m, (ids, offs), path, input_names=["input_ids", "offsets"], output_names=["embeddings"],
                  dynamic_axes={"input_ids": {0: "n_ids"}, "offsets": {0: "batch"}, "embeddings": {0: "batch"}},
                  opset_version=17, dynamo=False)
shutil.copyfile(os.path.join(model_dir, sub, "tokenizer.json"), os.path.join(out, "tokenizer.json"))
# transformers.js' AutoTokenizer wants a tokenizer_config.json next to tokenizer.json
with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
    f.write('{"tokenizer_class": "BertTokenizer", "do_lower_case": true, "model_max_length": 1000000000}\n')
# check against torch
import onnxruntime as ort
s = ort.InferenceSession(path)
got = s.run(None, {"input_ids": ids.numpy(), "offsets": offs.numpy()})[0]
print("max |onnx - torch|:", float(abs(got - m(ids, offs).numpy()).max()), "->", path)
