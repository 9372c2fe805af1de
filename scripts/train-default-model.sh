#!/usr/bin/env bash
# Trains the embedded default model (static-embed-default-v1) from ../shared, end to end, with static-embed alone:
# training data → WordPiece vocabulary → MatryoshkaLoss(MNRL) training → float16 → models/default.
# A run on 2 threads reproduces the committed tokenizer.json and model.safetensors byte for byte.
#
# Usage: bash scripts/train-default-model.sh [WORK_DIR (default /tmp/static-embed-default)] [DEST (default models/default)]
set -euo pipefail
cd "$(dirname "$0")/.."
D="${1:-/tmp/static-embed-default}"
DEST="${2:-models/default}"
SE="node bin/static-embed.js"
npm run build   # dist/ (npm ci builds nothing)
node scripts/make-default-data.mjs "$D"
$SE train-tokenizer --input "$D/corpus.txt" --vocab-size 47000 --out "$D/tokenizer.json"
$SE train --data "$D/stsb-train.jsonl,$D/ntrex.jsonl,$D/freedict.jsonl,$D/wordnet.jsonl,$D/iso-codes.jsonl" \
  --out "$D/model" --tokenizer "$D/tokenizer.json" --dim 256 --matryoshka-dims 32,64,128,256 --batch-size 256 --epochs 4 \
  --lr 0.2 --seed 42 --threads 2 --checkpoint-steps 0
$SE convert --model "$D/model" --out "$D/model-f16" --dtype float16
mkdir -p "$DEST/0_StaticEmbedding"
cp "$D/model-f16/0_StaticEmbedding/model.safetensors" "$D/model-f16/0_StaticEmbedding/tokenizer.json" "$DEST/0_StaticEmbedding/"
echo "Wrote $DEST/0_StaticEmbedding (model.safetensors, tokenizer.json); evaluate with: npx static-embed eval --model $DEST --tasks sts,bitext --dims 32,64,128,256"
