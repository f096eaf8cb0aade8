#!/usr/bin/env bash
# One Fashion-MNIST training epoch of vision's cnn, Kindling beside libtorch (through DJL), 2 threads.
#
#   bench/run-epoch.sh                     # build, then the epochs; the Markdown report goes to stdout
#   bench/run-epoch.sh --no-build          # reuse bench/target from the last build
#   THREADS="2 1" bench/run-epoch.sh       # other thread counts (default: 2)
#   DATA=loader bench/run-epoch.sh         # one data path: loader (vision's Dataset + DataLoader) or tensor
#   EPOCHS=1 RUNS=2 bench/run-epoch.sh     # epochs per JVM (default 2), repeats of the whole set (default 1)
#   LIMIT=6400 bench/run-epoch.sh          # the first 6400 training images only (a smoke test, not figures)
#   ENGINES=kindling EPOCH_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/epoch.jfr,settings=profile" \
#     THREADS=2 DATA=loader EPOCHS=1 bench/run-epoch.sh --no-build     # profile Kindling's epoch with JFR
#
# The real training set (60,000 images) is read from where vision looks for it (/usr/share/datasets/fashion-mnist,
# ~/.kindling/data/fashion-mnist, $KINDLING_DATA); when it is missing: kindling data fetch fashion-mnist.
# Batch 64, Adam lr 1e-3, shuffled with seed 42, normalised with mean 0.2860 and deviation 0.3530; libtorch starts
# from Kindling's initial weights. One JVM per engine, data path and thread count. See bench/EPOCH.md for what is
# timed. The report is also written to bench/target/epoch/report.md, the raw figures to bench/target/epoch/*.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    *) echo "run-epoch.sh: unknown argument $a (only --no-build; the rest is set with THREADS, DATA, EPOCHS, RUNS, LIMIT, ENGINES)" >&2; exit 2 ;;
  esac
done

if [[ $build == 1 ]]; then
  mvn -q -Pbench -pl core,bench -am package -Dmaven.test.skip=true
fi

out=bench/target/epoch
mkdir -p "$out"
cp="bench/target/classes:$(printf '%s:' bench/target/lib/*.jar)"

# DJL must use the bundled libtorch and never look for another one.
unset PYTORCH_VERSION PYTORCH_FLAVOR
# glibc's defaults make libtorch mmap/munmap (and re-fault) its large buffers on every op.
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 GLIBC_TUNABLES=glibc.malloc.hugetlb=1

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(java -version 2>&1 | head -1)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $machine; load average before: $load_before" >&2
report_args=()
for r in $(seq 1 "${RUNS:-1}"); do
  report_args+=(--run "$r")
  for t in ${THREADS:-2}; do
    for d in ${DATA:-loader tensor}; do
      for engine in ${ENGINES:-kindling libtorch}; do
        tsv="$out/run-$r-threads-$t-$d-$engine.tsv"
        rm -f "$tsv"
        rc=0
        OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t java \
          --add-modules jdk.incubator.vector \
          -Xms3g -Xmx3g -XX:+AlwaysPreTouch \
          -Dkindling.threads="$t" \
          -Dai.djl.pytorch.num_threads="$t" -Dai.djl.pytorch.num_interop_threads=1 \
          -Dai.djl.offline=true \
          ${EPOCH_JAVA_OPTS:-} \
          -cp "$cp" org.kindling.bench.training.EpochBench --engine "$engine" --threads "$t" --data "$d" \
          --epochs "${EPOCHS:-2}" --limit "${LIMIT:-0}" --out "$tsv" >&2 || rc=$?
        if [[ $rc == 3 ]]; then
          echo "run-epoch.sh: Fashion-MNIST is not installed; run: kindling data fetch fashion-mnist" >&2
          exit 3
        fi
        report_args+=("$tsv")
      done
    done
  done
done

{
  echo "Machine: $machine. Load average (1, 5, 15 min) before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  java -cp "$cp" org.kindling.bench.training.EpochReport "${report_args[@]}"
} | tee "$out/report.md"
