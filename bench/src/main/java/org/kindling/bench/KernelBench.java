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
 * Kindling's elementwise, reduction and layout kernels through the public API, as the
 * side-by-side comparison times them (each call allocates its result).
 *
 * <pre>java -jar bench/target/benchmarks.jar KernelBench -p threads=2</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class KernelBench {
    @Param({"1", "2"})
    public int threads;

    private Tensor a1k, b1k, a1m, b1m, m1024;

    @Setup(Level.Trial)
    public void setUp() {
        Kindling.setNumThreads(threads);
        Kindling.manualSeed(42);
        a1k = Kindling.randn(1000);
        b1k = Kindling.randn(1000);
        a1m = Kindling.randn(1_000_000);
        b1m = Kindling.randn(1_000_000);
        m1024 = Kindling.randn(1024, 1024);
    }

    @Benchmark
    public Tensor add1e3() {
        return a1k.add(b1k);
    }

    @Benchmark
    public Tensor add1e6() {
        return a1m.add(b1m);
    }

    @Benchmark
    public Tensor sum1e6() {
        return a1m.sum();
    }

    /** sum() then item(): the value on the Java side, as a training loop reads a loss. */
    @Benchmark
    public double sum1e6Item() {
        return a1m.sum().item();
    }

    @Benchmark
    public Tensor softmax1024x1024() {
        return m1024.softmax(-1);
    }

    @Benchmark
    public Tensor transposeContiguous1024x1024() {
        return m1024.transpose(0, 1).contiguous();
    }
}
