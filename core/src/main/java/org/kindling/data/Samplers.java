package org.kindling.data;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;
import org.kindling.Kindling;
import org.kindling.tensor.Generator;

/** Helpers shared by the random samplers. */
final class Samplers {
    private Samplers() {}

    /** A random permutation of {@code 0..n-1} drawn from {@code g}: {@code Kindling.randperm(n, g)} as ints. */
    static int[] permutation(int n, Generator g) {
        long[] p = Kindling.randperm(n, g).toLongArray();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = (int) p[i];
        return out;
    }

    /** An unmodifiable iterator over {@code values}. */
    static Iterator<Integer> iterator(int[] values) {
        return view(values).iterator();
    }

    /** An unmodifiable list view of {@code values}. */
    static List<Integer> view(int[] values) {
        return new IntList(values);
    }

    private static final class IntList extends AbstractList<Integer> implements RandomAccess {
        private final int[] values;

        IntList(int[] values) {
            this.values = values;
        }

        @Override
        public Integer get(int index) {
            return values[index];
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    static Generator orGlobal(Generator g) {
        return g == null ? Generator.global() : g;
    }
}
