package org.kindling.bench;

import java.util.concurrent.TimeUnit;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * sgemm: {@code a.matmul(b)} on n x n float32 matrices. GFLOPS = 2 n^3 / (score in ns).
 *
 * <pre>java -jar bench/target/benchmarks.jar MatmulBench -p threads=2 -p n=1024</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class MatmulBench {
    @Param({"1", "2"})
    public int threads;

    @Param({"256", "512", "1024", "2048"})
    public int n;

    private Tensor a, b;

    @Setup(Level.Trial)
    public void setUp() {
        Kindling.setNumThreads(threads);
        Kindling.manualSeed(42);
        a = Kindling.randn(n, n);
        b = Kindling.randn(n, n);
    }

    @Benchmark
    public Tensor sgemm() {
        return a.matmul(b);
    }
}
