#!/usr/bin/env bash
# Compiles MODEL.graph with nncc, links it into run_model.c with nothing but
# -lpthread -ldl -lm, runs it, and checks its outputs with nncc-ref.
#   check.sh MODEL.graph TMPDIR [--weights FILE] [--nncc FLAG]... [NAME=distribution]...
set -euo pipefail
model=$1 tmp=$2
shift 2
weights=()
if [ "${1:-}" = --weights ]; then
  weights=(--weights "$2")
  shift 2
fi
flags=()
while [ "${1:-}" = --nncc ]; do
  flags+=("$2")
  shift 2
done
here=$(dirname "$0")
name=$(sed -n 's/^[[:space:]]*model[[:space:]]\+\([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' "$model" | head -1)
mkdir -p "$tmp"
nncc "$model" "${weights[@]}" "${flags[@]}" -o "$tmp/model.o"
cc -O1 -I/usr/include/halide14 -I"$here/../../../runtime" -include "$tmp/model.h" -DMODEL_INFO="${name}_info" \
  "$here/run_model.c" "$tmp/model.o" -lpthread -ldl -lm -o "$tmp/run"
"$tmp/run" "$tmp/data" "$@"
nncc-ref "$model" "$tmp/data" "${weights[@]}"
