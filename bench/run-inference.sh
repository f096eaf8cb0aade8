#!/usr/bin/env bash
# Inference of the bench MLP and CNN exported by Kindling: Kindling's GraphExecutor beside ONNX
# Runtime (same file, same thread count), batch 1 and 64, one JVM per thread count.
#
#   bench/run-inference.sh              # build, then measure with 1 and 2 threads
#   bench/run-inference.sh --no-build   # reuse bench/target from the last build
#   THREADS="1 2 4" bench/run-inference.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ "${1:-}" != "--no-build" ]]; then
  mvn -q -Pbench -pl core,onnx,bench -am package -Dmaven.test.skip=true
fi
cp="bench/target/classes:$(printf '%s:' bench/target/lib/*.jar)"
echo "# $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
header=true
for t in ${THREADS:-1 2}; do
  java --add-modules jdk.incubator.vector -Xms2g -Xmx2g -Dkindling.threads="$t" -Dbench.header=$header \
    -cp "$cp" org.kindling.bench.inference.InferenceBench
  header=false
done
