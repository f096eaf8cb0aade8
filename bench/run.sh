#!/usr/bin/env bash
# Kindling vs libtorch (through DJL), side by side, on 1 and 2 threads.
#
#   bench/run.sh                  # build, then compare; the report goes to stdout
#   bench/run.sh --no-build       # reuse bench/target from the last build
#   bench/run.sh --quick          # short warm-up and sampling: a smoke test, not figures
#   THREADS="1 2 4" bench/run.sh  # other thread counts
#   RUNS=1 bench/run.sh           # one process per thread count instead of 3 (the report takes,
#                                 # per row, the median over the runs of each run's median)
#   BENCH_JVM_OPTS="-XX:+UseParallelGC" bench/run.sh   # extra flags for the benchmark JVMs
#
# The Markdown report is also written to bench/target/compare/report.md, and each process's raw
# figures to bench/target/compare/threads-N-runR.tsv. libtorch comes from the pytorch-native-cpu jar
# (extracted once under ~/.djl.ai); nothing is downloaded at run time.
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
extra=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    *) extra+=("$a") ;;
  esac
done

if [[ $build == 1 ]]; then
  # maven.test.skip: the benchmarks need no test classes, so core's tests are not even compiled
  mvn -q -Pbench -pl core,bench -am package -Dmaven.test.skip=true
fi

out=bench/target/compare
mkdir -p "$out"
cp="bench/target/classes:$(printf '%s:' bench/target/lib/*.jar)"

# DJL must use the bundled libtorch and never look for another one.
unset PYTORCH_VERSION PYTORCH_FLAVOR
# glibc's defaults make libtorch mmap/munmap (and re-fault) its large buffers on every op.
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 GLIBC_TUNABLES=glibc.malloc.hugetlb=1

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, $(java -version 2>&1 | head -1)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $machine; load average before: $load_before" >&2
files=()
rm -f "$out"/threads-*.tsv "$out"/load.log "$out"/own.pids
# Outside load spoils the figures (above all libtorch's 2-thread ones: an OpenMP barrier waits for a
# descheduled thread). Sample what else runs, every 5 s, to say so in the report.
( while sleep 5; do top -bn1 -d 0.5 | awk -v t="$(date +%T)" 'NR > 7 && $9 + 0 >= 20 && $12 != "top" {print t, $1, $9, $12}'; done ) \
  > "$out/load.log" 2>/dev/null &
sampler=$!
trap 'kill $sampler 2>/dev/null || true' EXIT
for r in $(seq 1 "${RUNS:-3}"); do
for t in ${THREADS:-1 2}; do
  echo "# run $r, $t thread(s)" >&2
  OMP_NUM_THREADS=$t MKL_NUM_THREADS=$t java \
    --add-modules jdk.incubator.vector \
    -Xms3g -Xmx3g -XX:+AlwaysPreTouch ${BENCH_JVM_OPTS:-} \
    -Dkindling.threads="$t" \
    -Dai.djl.pytorch.num_threads="$t" -Dai.djl.pytorch.num_interop_threads=1 \
    -Dai.djl.offline=true \
    -cp "$cp" org.kindling.bench.compare.Compare --threads "$t" --out "$out/threads-$t-run$r.tsv" "${extra[@]}" >&2 &
  echo $! >> "$out/own.pids"
  wait $!
  files+=("$out/threads-$t-run$r.tsv")
done
done

kill $sampler 2>/dev/null || true
others="$(awk 'NR == FNR {own[$1]; next} !($2 in own) {print}' "$out/own.pids" "$out/load.log")"
{
  echo "Machine: $machine. Load average (1, 5, 15 min) before the run: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)."
  if [[ -n "$others" ]]; then
    echo "Outside load: $(wc -l <<< "$others") samples (every 5 s) saw another process at >= 20% CPU:" \
      "$(awk '{n[$4]++; if ($3 + 0 > m[$4] + 0) m[$4] = $3} END {for (c in n) printf "%s: %d samples, up to %s%%; ", c, n[c], m[c]}' <<< "$others")"
  else
    echo "Outside load: no other process seen at >= 20% CPU (sampled every 5 s)."
  fi
  echo "Runs: ${RUNS:-3} (one JVM per thread count and run, thread counts alternating)."
  echo "Benchmark JVMs: --add-modules jdk.incubator.vector -Xms3g -Xmx3g -XX:+AlwaysPreTouch${BENCH_JVM_OPTS:+ $BENCH_JVM_OPTS} (default GC unless given)."
  echo
  java -cp "$cp" org.kindling.bench.compare.Report "${files[@]}"
} | tee "$out/report.md"
