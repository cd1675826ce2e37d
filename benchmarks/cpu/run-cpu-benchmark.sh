#!/usr/bin/env bash
# BertGen's CPU benchmark, every row with its peer, one run: writes OUT/cpu.txt (inference: ONNX Runtime rows,
# BertGen on the OpenCL CPU and on Java threads, predict, fillMask), OUT/keras-hub.txt (keras-hub's own
# BertMaskedLM predict, when KERAS_HUB_PYTHON is set), OUT/training.txt (training step against PyTorch, OpenCL
# CPU and Java threads), OUT/memory.txt (peak resident memory of fillMask with bert_base) and OUT/summary.txt.
#
#   mvn -B -q -Pbenchmarks -DskipTests install        # once
#   KERAS_HUB_PYTHON=/path/to/venv/bin/python KERAS_HUB_SRC=/path/to/keras-hub benchmarks/cpu/run-cpu-benchmark.sh OUT
#
# KERAS_HUB_PYTHON: a Python with keras and jax; KERAS_HUB_SRC: a keras-hub checkout (put on PYTHONPATH). Without
# them the keras-hub row is skipped (said so in the summary). SKIP_TRAINING=1 / SKIP_MEMORY=1 skip those parts.
set -euo pipefail
out=${1:?usage: run-cpu-benchmark.sh OUT-FOLDER}
mkdir -p "$out"
cd "$(dirname "$0")/../.."
# (mvn's colour codes removed from what the programs print)
bench() { mvn -B -q -o -Pbenchmarks -pl benchmarks exec:exec -Dbench="$1" "${@:2}" | sed 's/\x1b\[[0-9;]*m//g'; }

echo "== inference rows (ONNX Runtime, BertGen)" >&2
bench cpu | tee "$out/cpu.txt"

keras=""
if [[ -n "${KERAS_HUB_PYTHON:-}" ]]; then
  echo "== keras-hub peer" >&2
  PYTHONPATH="${KERAS_HUB_SRC:-}${PYTHONPATH:+:$PYTHONPATH}" "$KERAS_HUB_PYTHON" benchmarks/cpu/keras_hub_peer.py \
    | tee "$out/keras-hub.txt"
  keras=$(sed -n 's/.*keras_hub_predict_ms=\([0-9.]*\).*/\1/p' "$out/keras-hub.txt")
fi

if [[ -z "${SKIP_MEMORY:-}" ]]; then
  echo "== memory" >&2
  bench memory | tee "$out/memory.txt"
fi
if [[ -z "${SKIP_TRAINING:-}" ]]; then
  echo "== training (against PyTorch)" >&2
  bench training -Dtraining.seqs=128 | tee "$out/training.txt"
fi

{
  echo "# summary, $(date -u +%F), $(nproc) cores"
  grep -E '^(##|ONNX|BertGen)' "$out/cpu.txt" | grep -v predict_ms || true
  echo
  echo "## masked-LM predict, bert_tiny 8 x 128, 20 mask slots: BertGen / keras-hub (JAX, XLA), same script run"
  if [[ -n "$keras" ]]; then
    echo "keras-hub predict_on_batch: $keras ms"
    sed -n 's/.*predict_ms=\([0-9.]*\) on=\([a-z-]*\).*/\2 \1/p' "$out/cpu.txt" | while read -r where ms; do
      awk -v w="$where" -v b="$ms" -v k="$keras" 'BEGIN { printf "BertGen predict on %-14s %8.2f ms  %.2fx keras-hub\n", w, b, b / k }'
    done
  else
    echo "keras-hub: not run (set KERAS_HUB_PYTHON and KERAS_HUB_SRC)"
  fi
  [[ -f "$out/memory.txt" ]] && { echo; grep -v '^$' "$out/memory.txt"; }
  [[ -f "$out/training.txt" ]] && { echo; grep -v '^$' "$out/training.txt"; }
} | tee "$out/summary.txt"
