#!/usr/bin/env bash
# BertGen's GPU benchmark, unattended, in about 5 minutes, on a machine with an NVIDIA GPU, its OpenCL
# driver, python3 with PyTorch (CUDA) and transformers, and no Java needed:
#
#   benchmarks/gpu/prepare-bundle.sh                 # on a build machine: benchmarks/target/gpu-bundle.tar.xz
#   benchmarks/gpu/run-gpu-benchmark.sh OUT_DIR      # on the GPU machine, from a copy of the repository
#
# 1. the reference-fixture tests (keras-hub and Hugging Face outputs, a training step, finite-difference
#    gradient checks; the generated GPU kernel class against the generic one) on every device there, the GPU
#    in the GPU kernel family -> OUT_DIR/fixture-checks.txt
# 2. BertGen: bert_tiny, bert_base, bert_large backbone forward at 32 x 128, masked-LM forward with loss and
#    training step at the largest batch of 32, 24, 16, 8 that fits -> OUT_DIR/bertgen.tsv,
#    products.tsv (per product shape), memory.tsv
# 3. PyTorch on the same GPU and shapes, and the report with every ratio -> OUT_DIR/gpu-benchmark.md
#
# Environment: BUNDLE (default benchmarks/target/gpu-bundle.tar.xz), SKIP_TESTS=1, SKIP_TORCH=1 (dry run
# without PyTorch: the report has BertGen's side only), BERTGEN_DEVICE (default gpu), GPU_MODELS
# (default tiny,base,large); TEST_TIMEOUT, BERTGEN_TIMEOUT, TORCH_TIMEOUT (seconds per step: 150, 240, 150),
# GPU_HEAP (the benchmark's -Xmx, 48g).
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT=$(mkdir -p "${1:-gpu-results}" && cd "${1:-gpu-results}" && pwd)
BUNDLE=${BUNDLE:-benchmarks/target/gpu-bundle.tar.xz}
export BERTGEN_DEVICE=${BERTGEN_DEVICE:-gpu}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
tar -xJf "$BUNDLE" -C "$T" || { echo "cannot unpack $BUNDLE: run benchmarks/gpu/prepare-bundle.sh first" >&2; exit 2; }
B=$T/gpu-bundle
JAVA=$B/jre/bin/java
# the JVM's signal chaining (docs/design.md, "Signal handlers")
export LD_PRELOAD=$B/jre/lib/server/libjsig.so
# only the GPU's OpenCL driver: an OpenCL CPU (PoCL) next to it would make the tests compile the GPU family for
# it too, which takes minutes (docs/architecture.md, "Kernel families")
if [ "$BERTGEN_DEVICE" = gpu ] && ls /etc/OpenCL/vendors/nvidia*.icd >/dev/null 2>&1; then
  mkdir -p "$T/icd" && cp /etc/OpenCL/vendors/nvidia*.icd "$T/icd/" && export OCL_ICD_VENDORS=$T/icd
fi
(nvidia-smi || true) > "$OUT/nvidia-smi.txt" 2>&1
date -u +%FT%TZ > "$OUT/started.txt"

if [ "${SKIP_TESTS:-0}" != 1 ]; then
  echo "== reference-fixture tests on $BERTGEN_DEVICE"
  (cd runtime && ulimit -s 1048576 2>/dev/null; timeout ${TEST_TIMEOUT:-150} "$JAVA" -XX:+UseG1GC -Xmx16g \
    -Dbertgen.testGpuFamilyOnCpu=${TEST_GPU_FAMILY_ON_CPU:-false} -jar \
    "$B"/test-lib/junit-platform-console-standalone-*.jar execute --disable-banner --details=tree \
    --class-path "$B/test-classes:$B/examples-test-classes:$(ls "$B"/lib/*.jar "$B"/test-lib/*.jar | grep -v console-standalone | tr '\n' ':')" \
    --select-class dev.bertgen.models.FixtureForwardTest --select-class dev.bertgen.models.TrainStepFixtureTest \
    --select-class dev.bertgen.models.HuggingFaceFixtureTest --select-class dev.bertgen.models.GradientCheckTest \
    --select-class dev.bertgen.models.TextClassifierRunnerTest --select-class dev.bertgen.models.ForwardPassTest \
    --select-class dev.bertgen.models.DropoutTest --select-class dev.bertgen.examples.SpecializedKernelsTest) > "$OUT/fixture-checks.txt" 2>&1
  echo "tests exit code $?" >> "$OUT/fixture-checks.txt"
  tail -16 "$OUT/fixture-checks.txt"
fi

echo "== BertGen"
timeout ${BERTGEN_TIMEOUT:-240} "$JAVA" -XX:+UseG1GC -XX:G1HeapRegionSize=2m -Xmx${GPU_HEAP:-48g} -Dbertgen.traceLaunches=true \
  -Dgpu.models="${GPU_MODELS:-tiny,base,large}" -cp "$B/lib/*" dev.bertgen.benchmarks.GpuBenchmark "$OUT" \
  > "$OUT/bertgen.log" 2>&1
echo "BertGen exit code $?" | tee -a "$OUT/bertgen.log"
grep -v '^ ' "$OUT/bertgen.log" | head -20

echo "== PyTorch and the report"
if [ "${SKIP_TORCH:-0}" = 1 ]; then
  python3 benchmarks/gpu/torch_peer.py "$OUT" --dry-run > "$OUT/torch.log" 2>&1
else
  timeout ${TORCH_TIMEOUT:-150} python3 benchmarks/gpu/torch_peer.py "$OUT" > "$OUT/torch.log" 2>&1
fi
echo "report exit code $?" | tee -a "$OUT/torch.log"
cat "$OUT/gpu-benchmark.md" 2>/dev/null || tail -20 "$OUT/torch.log"
