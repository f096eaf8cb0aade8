package org.kindling.bench.compare;

import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/** Kindling's public API, as a user calls it. */
final class KindlingSide implements Side {
    /** Keeps the last result reachable so the JIT cannot drop the call. */
    static volatile Tensor sink;

    KindlingSide(int threads) {
        Kindling.setNumThreads(threads);
    }

    @Override
    public String name() {
        return "kindling";
    }

    @Override
    public Prepared prepare(Case c, float[][] operands) {
        Tensor a = Kindling.fromArray(operands[0], c.shape());
        Tensor b = c.arity() > 1 ? Kindling.fromArray(operands[1], c.shape()) : null;
        return switch (c.kind()) {
            case SGEMM -> new Simple(() -> a.matmul(b));
            case ADD -> new Simple(() -> a.add(b));
            case SUM -> new Simple(a::sum);
            case SOFTMAX -> new Simple(() -> a.softmax(-1));
            case TRANSPOSE -> new Simple(() -> a.transpose(0, 1).contiguous());
        };
    }

    private record Simple(java.util.function.Supplier<Tensor> op) implements Prepared {
        @Override
        public void call() {
            sink = op.get();
        }

        @Override
        public float[] result() {
            Tensor r = op.get();
            if (r.numel() == 1) return new float[] {(float) r.item()};
            return r.toFloatArray();
        }
    }
}
