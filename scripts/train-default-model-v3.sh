#!/usr/bin/env bash
# Trains the next default model (static-embed-default-v3; not shipped: this recipe, candidate C, scores below v2.4
# on the STSb sets, see the model card's "Toward v3") end to end with static-embed alone, byte for byte:
# data (scripts/make-default-data.mjs) → WordPiece vocabulary → stage 1 (all data, GTE loss, per-language batches)
# → stage 2 (NTREX-128) → stage 3 (stsb-multi-mt train) → int8 with per-row scales → models/default.
# The runs tried and their dev numbers: the model card (models/default/README.md, "Toward v3").
#
# Usage: bash scripts/train-default-model-v3.sh [WORK_DIR (default /tmp/static-embed-default-v3)] [DEST (default models/default)]
# LOSS=symmetric|gte (default gte), BATCH (stage 1, default 256) and EPOCHS (stage 1, default 3) re-run the recipes the
# card compares. LEXICON_SENTENCES="N_OTHER N_LATIN" (e.g. "3000 1000") adds the card's stage of lexicon sentences
# between stages 1 and 2 (scripts/make-lexicon-sentences.py, run with PYTHON, default python3 with the reference venv).
set -euo pipefail
cd "$(dirname "$0")/.."
D="${1:-/tmp/static-embed-default-v3}"
DEST="${2:-/tmp/static-embed-default-v3/out}"
LOSS="${LOSS:-gte}"
EPOCHS="${EPOCHS:-3}"
BATCH="${BATCH:-256}"
SE="${SE:-node bin/static-embed.js}"
[[ -n "${SKIP_BUILD:-}" ]] || npm run build   # dist/ (npm ci builds nothing)
[[ -s "$D/data-stats.json" ]] || node scripts/make-default-data.mjs "$D" --v3
# the vocabulary: lower case with marks kept, pieces inside the unspaced words of Thai, Lao, Khmer and Myanmar, and at
# least 1,000 pieces beyond its characters for every writing system that has them
[[ -s "$D/tokenizer.json" ]] || $SE train-tokenizer --input "$D/corpus.txt" --vocab-size 88000 --normalizer bert-lowercase \
  --long-word-pieces --min-script-pieces 1000 --out "$D/tokenizer.json"
# stage 1: one file per language for the software-text pairs, the word lexicons, the general-domain sentence pairs
# and FreeDict (each batch from one file: in-batch negatives in the batch's language), plus the general-domain sources
list() { ls "$D/$1"/*.jsonl | LC_ALL=C sort | tr '\n' ','; }
DATA="$(list by-lang)$(list lexicon-by-lang)$(list sentences-by-lang)$(list freedict-by-lang)"
DATA="${DATA}$D/stsb-train.jsonl,$D/ntrex.jsonl,$D/wordnet.jsonl,$D/iso-codes.jsonl"
S1="$D/stage1-$LOSS-b$BATCH-e$EPOCHS"
$SE train --data "$DATA" --out "$S1" --tokenizer "$D/tokenizer.json" --dim 256 --matryoshka-dims 32,64,128,256 \
  --batch-size "$BATCH" --epochs "$EPOCHS" --lr 0.2 --loss "$LOSS" --seed 42 --threads 1 --checkpoint-steps 0 \
  --eval-data "$D/dev-bitext.jsonl,$D/dev-sts.csv" --eval-steps 1000000
# optional: English sentences with their words replaced by the lexicons' translations, one file per language
if [[ -n "${LEXICON_SENTENCES:-}" ]]; then
  read -r N_OTHER N_LATIN <<<"$LEXICON_SENTENCES"
  "${PYTHON:-python3}" scripts/make-lexicon-sentences.py "$D" "$D/lexicon-sentences-$N_OTHER-$N_LATIN" "$N_OTHER" "$N_LATIN"
  LEX="$(list "lexicon-sentences-$N_OTHER-$N_LATIN")"
  $SE train --init "$S1" --data "${LEX%,}" --out "$S1-lex$N_OTHER" \
    --matryoshka-dims 32,64,128,256 --batch-size 256 --epochs 1 --lr 0.05 --loss "$LOSS" --scale 14 --seed 42 --threads 1 \
    --checkpoint-steps 0
  S1="$S1-lex$N_OTHER"
fi
# stage 2: one pass over the NTREX-128 training sentences (general-domain news in 127 languages), scale 14
$SE train --init "$S1" --data "$D/ntrex.jsonl" --out "$S1-s2" --matryoshka-dims 32,64,128,256 --batch-size 256 \
  --epochs 1 --lr 0.05 --loss "$LOSS" --scale 14 --seed 42 --threads 1 --checkpoint-steps 0
# stage 3: the stsb-multi-mt train split (general-domain sentences, paraphrases and translations)
$SE train --init "$S1-s2" --data "$D/stsb-train.jsonl" --out "$S1-s3" --matryoshka-dims 32,64,128,256 --batch-size 256 \
  --epochs 3 --lr 0.05 --loss "$LOSS" --scale 14 --seed 42 --threads 1 --checkpoint-steps 0
$SE convert --model "$S1-s3" --out "$S1-int8" --dtype int8 --overwrite
mkdir -p "$DEST/0_StaticEmbedding"
cp "$S1-int8/0_StaticEmbedding/model.safetensors" "$S1-int8/0_StaticEmbedding/tokenizer.json" "$DEST/0_StaticEmbedding/"
mkdir -p "$DEST/../default-build"
cp "$D/data-stats.json" "$DEST/../default-build/data-stats.json"
echo "Wrote $DEST (model.safetensors, tokenizer.json) and $DEST/../default-build/data-stats.json; update the card's numbers with: npm run build && node scripts/default-model-card.mjs"
