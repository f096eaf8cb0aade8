#!/usr/bin/env bash
# Training-step benchmarks: Kindling beside libtorch (through DJL's training API), 1 and 2 threads.
#
#   bench/run-training.sh                    # build, then MLP, CNN, LSTM; the report goes to stdout
#   bench/run-training.sh --no-build         # reuse bench/target from the last build
#   bench/run-training.sh --cases cnn        # one workload (mlp, cnn, lstm)
#   THREADS="1 2 4" bench/run-training.sh    # other thread counts
#   bench/run-training.sh --samples 40 --warm-ms 4000   # longer sampling
#
#   bench/run-training.sh --same-jvm         # both engines in one JVM, alternating rounds
#
# One step = forward, cross-entropy, backward, SGD (lr 0.01). Per workload and engine: >= 5 warm-up
# steps and >= 2 s, then 20 timed steps (in 4 rounds); the figure is the median. The timed steps
# are repeated while other processes use the CPUs (see TRAINING.md). The peak Java heap of Kindling's CNN step is recorded too. The Markdown report is also
# written to bench/target/training/report.md, the raw figures to bench/target/training/threads-N-ENGINE.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
same_jvm=0
extra=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    --same-jvm) same_jvm=1 ;;
    *) extra+=("$a") ;;
  esac
done

if [[ $build == 1 ]]; then
  mvn -q -Pbench -pl core,bench -am package -Dmaven.test.skip=true
fi

out=bench/target/training
mkdir -p "$out"
cp="bench/target/classes:$(printf '%s:' bench/target/lib/*.jar)"

# DJL must use the bundled libtorch and never look for another one.
unset PYTORCH_VERSION PYTORCH_FLAVOR
# glibc's defaults make libtorch mmap/munmap (and re-fault) its large buffers on every op.
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 GLIBC_TUNABLES=glibc.malloc.hugetlb=1

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(java -version 2>&1 | head -1)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $machine; load average before: $load_before" >&2
# By default each engine runs in its own JVM: with both in one JVM on 2 cores, the JVM's background
# threads (JIT, GC) working for Kindling's steps stole a core from libtorch's 2-thread OpenMP team
# and made its CNN step 1.3-3x slower than alone (18 ms alone; 23-57 ms beside Kindling).
# --same-jvm: both engines in one JVM, timed in alternating rounds (as bench/run.sh does).
if [[ $same_jvm == 1 ]]; then groups=("kindling,libtorch"); else groups=(kindling libtorch); fi
files=()
for t in ${THREADS:-1 2}; do
  for g in "${groups[@]}"; do
    tsv="$out/threads-$t-${g/,/-}.tsv"
    OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t java \
      --add-modules jdk.incubator.vector \
      -Xms3g -Xmx3g -XX:+AlwaysPreTouch \
      -Dkindling.threads="$t" \
      -Dai.djl.pytorch.num_threads="$t" -Dai.djl.pytorch.num_interop_threads=1 \
      -Dai.djl.offline=true \
      ${TRAINING_JAVA_OPTS:-} \
      -cp "$cp" org.kindling.bench.training.TrainingBench --threads "$t" --engines "$g" --heap cnn \
      --out "$tsv" "${extra[@]}" >&2
    files+=("$tsv")
  done
done

{
  echo "Machine: $machine. Load average (1, 5, 15 min) before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  java -cp "$cp" org.kindling.bench.training.TrainingReport "${files[@]}"
} | tee "$out/report.md"
