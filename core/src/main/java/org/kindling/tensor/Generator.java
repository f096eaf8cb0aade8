package org.kindling.tensor;

import java.util.SplittableRandom;

/**
 * A seeded source of random numbers ({@code torch.Generator}). Every random op of Kindling draws
 * from {@link #global()} unless given another generator, so {@code Kindling.manualSeed(s)} makes
 * a whole program reproducible.
 *
 * <pre>
 * Kindling.manualSeed(42);
 * Tensor a = Kindling.randn(3);
 * Kindling.manualSeed(42);
 * Tensor b = Kindling.randn(3);   // a.equal(b)
 * </pre>
 */
public final class Generator {
    private static final Generator GLOBAL = new Generator(0x5EEDL);

    private SplittableRandom random;
    private long seed;
    private double spareGaussian = Double.NaN;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        manualSeed(seed);
    }

    /** The default generator shared by all random ops. */
    public static Generator global() {
        return GLOBAL;
    }

    /** Resets the state so that the same sequence follows again. */
    public synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.spareGaussian = Double.NaN;
        return this;
    }

    /** The seed last set. */
    public synchronized long initialSeed() {
        return seed;
    }

    /** Uniform in [0, 1). */
    public synchronized double nextDouble() {
        return random.nextDouble();
    }

    /** Uniform in [0, 1) as a float; never returns 1.0f after rounding. */
    public synchronized float nextFloat() {
        return (random.nextInt() >>> 8) * 0x1.0p-24f;
    }

    /** Uniform long in [0, bound). */
    public synchronized long nextLong(long bound) {
        return random.nextLong(bound);
    }

    /** Uniform long in [low, high). */
    public synchronized long nextLong(long low, long high) {
        return random.nextLong(low, high);
    }

    /** Standard normal (Marsaglia's polar method). */
    public synchronized double nextGaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * m;
        return u * m;
    }
}
