#!/usr/bin/env bash
# Builds everything and packs what the GPU benchmark needs on a machine without Java or Maven into one
# file, benchmarks/target/gpu-bundle.tar.xz (about 30 MB): a jlink'ed Java runtime, the benchmark's
# class path (aparapi-jni trimmed to its linux-x86_64 library), and the runtime's test classes with their
# class path and JUnit's console launcher, for the reference-fixture tests on the GPU.
# Run from anywhere in the repository; then run-gpu-benchmark.sh on the GPU machine (see its header).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
B=$ROOT/benchmarks/target/gpu-bundle
rm -rf "$B" "$B.tar.xz"
mkdir -p "$B/lib" "$B/test-lib"

mvn -B -q install -Pbenchmarks -DskipTests
mvn -B -q test-compile -pl runtime,generated-examples

# the benchmark's class path, without the CPU peers' (ONNX Runtime, libtorch) jars
mvn -B -q dependency:build-classpath -pl benchmarks -Pbenchmarks -Dmdep.outputFile="$B/bench.cp" >/dev/null
mvn -B -q dependency:build-classpath -pl runtime -Dmdep.includeScope=test -Dmdep.outputFile="$B/test.cp" >/dev/null
mvn -B -q dependency:copy -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.4 \
  -DoutputDirectory="$B/test-lib" >/dev/null
tr ':' '\n' < "$B/bench.cp" | grep -v -e onnxruntime -e pytorch -e javacpp -e openblas -e langchain4j \
  -e javapoet -e bertgen-processor -e picocli | while read -r jar; do cp "$jar" "$B/lib/"; done
cp benchmarks/target/bertgen-benchmarks-*.jar "$B/lib/"
# the test class path without what the console launcher bundles (JUnit) and the tokenizer tests' DJL
tr ':' '\n' < "$B/test.cp" | grep -v -e /ai/djl/ -e /net/java/dev/jna/ -e onnxruntime -e /org/junit/ -e opentest4j \
  -e apiguardian -e commons-compress | grep '\.jar$' \
  | while read -r jar; do [ -e "$B/lib/$(basename "$jar")" ] || cp "$jar" "$B/test-lib/"; done
cp -r runtime/target/test-classes "$B/test-classes"
cp -r generated-examples/target/test-classes "$B/examples-test-classes"
# aparapi-jni carries every platform's library (19 MB); keep linux x86_64's
for jar in "$B"/lib/aparapi-jni-*.jar; do
  tmp=$(mktemp -d)
  (cd "$tmp" && unzip -q "$jar" && find . -name '*.so' ! -name 'libaparapi_x86_64.so' -delete \
    && find . \( -name '*.dll' -o -name '*.dylib' \) -delete && rm -f "$jar" && zip -qr "$jar" .)
  rm -rf "$tmp"
done
rm -f "$B/bench.cp" "$B/test.cp"

jlink --add-modules java.base,java.logging,java.management,jdk.unsupported --strip-debug --no-header-files \
  --no-man-pages --compress=0 --output "$B/jre"
strip --strip-unneeded "$B/jre/lib/server/libjvm.so" 2>/dev/null || true

tar -C "$ROOT/benchmarks/target" -cf - gpu-bundle | xz -9 -T0 > "$B.tar.xz"
rm -rf "$B"
ls -la "$B.tar.xz"
