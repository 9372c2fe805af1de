#!/usr/bin/env bash
# The Python references of the golden files: ../shared's venv (sentence-transformers, tokenizers, torch CPU,
# scikit-learn, …, offline from the machine's mirror) plus model2vec run from its source tree.
#
# Usage: bash scripts/setup-reference.sh MODEL2VEC_SRC [VENV (default /tmp/static-embed-ref)]
#   MODEL2VEC_SRC: a checkout of https://github.com/MinishLab/model2vec (MIT), i.e. the folder holding model2vec/.
#
# model2vec is not in the package mirror, and `pip install` of its source would leave out model2vec.persistence
# (its pyproject.toml lists only the top-level package), so the source folder goes on the venv's path with a .pth
# file; its dependencies (numpy, safetensors, tokenizers, jinja2, joblib, tqdm) come from the mirror. CI needs none
# of this: the goldens it makes are committed (scripts/make-model-goldens.py).
set -euo pipefail
src="$(cd "${1:?usage: setup-reference.sh MODEL2VEC_SRC [VENV]}" && pwd)"
venv="${2:-/tmp/static-embed-ref}"
here="$(cd "$(dirname "$0")/.." && pwd)"
shared="${STATIC_EMBED_SHARED:-$here/../shared}"
[[ -f "$src/model2vec/model.py" && -d "$src/model2vec/persistence" ]] || { echo "no model2vec source tree (model2vec/model.py, model2vec/persistence/) in $src" >&2; exit 2; }
if ! "$venv/bin/python" -c 'import sentence_transformers, tokenizers, sklearn' >/dev/null 2>&1; then
  bash "$shared/tools/setup-python-reference.sh" "$venv" >/dev/null
fi
"$venv/bin/pip" install -q --retries 0 --timeout 5 jinja2 joblib tqdm
site="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
echo "$src" > "$site/model2vec-source.pth"
"$venv/bin/python" -c 'import model2vec, model2vec.persistence; from model2vec import StaticModel; print("model2vec", model2vec.__version__, "from", model2vec.__file__)'
echo "$venv/bin/python"
