package org.kindling.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * The outcome of {@code Onnx.verify}: per output, the shapes and the largest absolute and relative
 * differences between ONNX Runtime (the reference) and Kindling. The relative difference of two
 * elements is {@code |a - b| / max(|a|, |b|)} (0 when both are 0), so it lies in [0, 2].
 *
 * <pre>
 * VerificationReport r = Onnx.verify(Path.of("model.onnx"), Map.of("input", x));
 * System.out.println(r);          // output 'logits' [5, 10]: max |diff| 2.38e-07, max rel 3.10e-07
 * r.agrees(1e-4, 1e-5);           // true
 * </pre>
 */
public final class VerificationReport {
    private final String model;
    private final List<OutputDiff> outputs;

    public VerificationReport(String model, List<OutputDiff> outputs) {
        this.model = model;
        this.outputs = List.copyOf(outputs);
    }

    /** One output of both runtimes, compared element by element. */
    public static final class OutputDiff {
        private final String name;
        private final int[] referenceShape;
        private final int[] kindlingShape;
        private final double[] reference;
        private final double[] kindling;
        private double maxAbs;
        private double maxRel;

        public OutputDiff(String name, int[] referenceShape, double[] reference, int[] kindlingShape, double[] kindling) {
            this.name = name;
            this.referenceShape = referenceShape.clone();
            this.kindlingShape = kindlingShape.clone();
            this.reference = reference;
            this.kindling = kindling;
            if (!sameShape()) {
                maxAbs = Double.POSITIVE_INFINITY;
                maxRel = Double.POSITIVE_INFINITY;
                return;
            }
            for (int i = 0; i < reference.length; i++) {
                double a = kindling[i], b = reference[i];
                if (Double.isNaN(a) && Double.isNaN(b) || a == b) continue;
                double d = Math.abs(a - b);
                if (Double.isNaN(d)) d = Double.POSITIVE_INFINITY;
                maxAbs = Math.max(maxAbs, d);
                maxRel = Math.max(maxRel, d / Math.max(Math.abs(a), Math.abs(b)));
            }
        }

        public String name() {
            return name;
        }

        public int[] referenceShape() {
            return referenceShape.clone();
        }

        public int[] kindlingShape() {
            return kindlingShape.clone();
        }

        public boolean sameShape() {
            return Arrays.equals(referenceShape, kindlingShape);
        }

        /** The largest {@code |kindling - ort|} (infinite when shapes differ or only one side is NaN). */
        public double maxAbsDiff() {
            return maxAbs;
        }

        /** The largest {@code |a - b| / max(|a|, |b|)}. */
        public double maxRelDiff() {
            return maxRel;
        }

        /** True when the shapes match and every element has {@code |kindling - ort| <= atol + rtol * |ort|}. */
        public boolean agrees(double rtol, double atol) {
            if (!sameShape()) return false;
            for (int i = 0; i < reference.length; i++) {
                double a = kindling[i], b = reference[i];
                if (Double.isNaN(a) && Double.isNaN(b) || a == b) continue;
                if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) return false;
            }
            return true;
        }

        @Override
        public String toString() {
            if (!sameShape()) {
                return "output '" + name + "': shape " + Arrays.toString(kindlingShape) + " in Kindling but "
                        + Arrays.toString(referenceShape) + " in ONNX Runtime";
            }
            return String.format("output '%s' %s: max |diff| %.2e, max rel %.2e", name, Arrays.toString(referenceShape),
                    maxAbs, maxRel);
        }
    }

    /** The model file that was verified. */
    public String model() {
        return model;
    }

    public List<OutputDiff> outputs() {
        return outputs;
    }

    /** True when every output {@link OutputDiff#agrees agrees}. */
    public boolean agrees(double rtol, double atol) {
        return outputs.stream().allMatch(d -> d.agrees(rtol, atol));
    }

    /** The largest absolute difference over all outputs. */
    public double maxAbsDiff() {
        return outputs.stream().mapToDouble(OutputDiff::maxAbsDiff).max().orElse(0);
    }

    /** The largest relative difference over all outputs. */
    public double maxRelDiff() {
        return outputs.stream().mapToDouble(OutputDiff::maxRelDiff).max().orElse(0);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Kindling vs ONNX Runtime on ").append(model).append(':');
        for (OutputDiff d : outputs) sb.append("\n  ").append(d);
        return sb.toString();
    }
}
