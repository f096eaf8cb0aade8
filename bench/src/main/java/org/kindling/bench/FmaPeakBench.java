package org.kindling.bench;

import java.util.concurrent.TimeUnit;
import org.kindling.bench.compare.FmaPeak;
import jdk.incubator.vector.FloatVector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The FP32 FMA peak per thread: one op = one FloatVector.fma of the preferred species, so
 * GFLOPS = score (ops/ns) x 2 x lanes. Run with {@code -t 2} for two threads.
 *
 * <pre>java -jar bench/target/benchmarks.jar FmaPeakBench -t 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class FmaPeakBench {
    static final long ITERS = 1 << 20;

    @Benchmark
    @OperationsPerInvocation(12 * (1 << 20))
    public float fmaPreferred() {
        return FmaPeak.loop(FloatVector.SPECIES_PREFERRED, ITERS);
    }

    @Benchmark
    @OperationsPerInvocation(12 * (1 << 20))
    public float fma256() {
        return FmaPeak.loop(FloatVector.SPECIES_256, ITERS);
    }
}
