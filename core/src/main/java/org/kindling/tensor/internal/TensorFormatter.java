package org.kindling.tensor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kindling.tensor.DType;

/**
 * Prints tensors the way PyTorch's {@code _tensor_str} does: a shared width per tensor, integer
 * floats as {@code 1.}, four decimals otherwise, scientific notation when magnitudes spread
 * widely, 80-column lines, and first/last three items per dim above 1000 elements.
 */
public final class TensorFormatter {
    private static final int THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;
    private static final int LINE_WIDTH = 80;

    private TensorFormatter() {}

    public static String format(Buffer b) {
        String prefix = "tensor(";
        int indent = prefix.length();
        StringBuilder sb = new StringBuilder(prefix);
        int numel = b.numel();
        DType dt = b.dtype();
        boolean showDtype = !(dt == DType.FLOAT32 || dt == DType.INT64 || dt == DType.BOOL);
        if (numel == 0) {
            sb.append("[]");
            if (!(b.rank() == 1 && b.shape[0] == 0)) {
                sb.append(", size=(");
                for (int i = 0; i < b.rank(); i++) {
                    if (i > 0) sb.append(", ");
                    sb.append(b.shape[i]);
                }
                if (b.rank() == 1) sb.append(',');
                sb.append(')');
            }
        } else {
            boolean summarize = numel > THRESHOLD;
            Formatter f = new Formatter(b, summarize);
            sb.append(tensorStr(b, 0, b.offset, indent, summarize, f));
        }
        if (showDtype) sb.append(", dtype=").append(dt);
        return sb.append(')').toString();
    }

    private static String tensorStr(Buffer b, int dim, int off, int indent, boolean summarize, Formatter f) {
        int rank = b.rank() - dim;
        if (rank == 0) return f.format(b, off);
        int size = b.shape[dim];
        int stride = b.strides[dim];
        if (rank == 1) {
            int elementLength = f.width + 2;
            int perLine = Math.max(1, (LINE_WIDTH - indent) / elementLength);
            List<String> data = new ArrayList<>();
            if (summarize && size > 2 * EDGE_ITEMS) {
                for (int i = 0; i < EDGE_ITEMS; i++) data.add(f.format(b, off + i * stride));
                data.add(" ...");
                for (int i = size - EDGE_ITEMS; i < size; i++) data.add(f.format(b, off + i * stride));
            } else {
                for (int i = 0; i < size; i++) data.add(f.format(b, off + i * stride));
            }
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < data.size(); i++) {
                if (i > 0) sb.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                sb.append(data.get(i));
            }
            return sb.append(']').toString();
        }
        List<String> slices = new ArrayList<>();
        if (summarize && size > 2 * EDGE_ITEMS) {
            for (int i = 0; i < EDGE_ITEMS; i++) slices.add(tensorStr(b, dim + 1, off + i * stride, indent + 1, summarize, f));
            slices.add("...");
            for (int i = size - EDGE_ITEMS; i < size; i++) {
                slices.add(tensorStr(b, dim + 1, off + i * stride, indent + 1, summarize, f));
            }
        } else {
            for (int i = 0; i < size; i++) slices.add(tensorStr(b, dim + 1, off + i * stride, indent + 1, summarize, f));
        }
        String sep = "," + "\n".repeat(rank - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, slices) + "]";
    }

    /** Width and notation chosen from the (summarised) values, as PyTorch's _Formatter. */
    private static final class Formatter {
        final boolean floating;
        boolean intMode = true;
        boolean sciMode;
        int width = 1;

        Formatter(Buffer b, boolean summarize) {
            floating = b.dtype().isFloatingPoint();
            List<Integer> offsets = new ArrayList<>();
            collect(b, 0, b.offset, summarize, offsets);
            if (!floating) {
                for (int o : offsets) width = Math.max(width, formatRaw(b, o).length());
                return;
            }
            double minAbs = Double.POSITIVE_INFINITY;
            double maxAbs = 0;
            boolean any = false;
            for (int o : offsets) {
                double v = b.storage.getDouble(o);
                if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) continue;
                any = true;
                minAbs = Math.min(minAbs, Math.abs(v));
                maxAbs = Math.max(maxAbs, Math.abs(v));
                if (v != Math.ceil(v)) intMode = false;
            }
            if (!any) {
                return;
            }
            if (intMode) {
                sciMode = maxAbs / minAbs > 1000 || maxAbs > 1e8;
            } else {
                sciMode = maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4;
            }
            // As PyTorch: the width comes from the non-zero finite values only.
            for (int o : offsets) {
                double v = b.storage.getDouble(o);
                if (Double.isNaN(v) || Double.isInfinite(v) || v == 0) continue;
                width = Math.max(width, formatRaw(b, o).length());
            }
        }

        private static void collect(Buffer b, int dim, int off, boolean summarize, List<Integer> out) {
            if (dim == b.rank()) {
                out.add(off);
                return;
            }
            int size = b.shape[dim];
            int st = b.strides[dim];
            if (summarize && size > 2 * EDGE_ITEMS) {
                for (int i = 0; i < EDGE_ITEMS; i++) collect(b, dim + 1, off + i * st, summarize, out);
                for (int i = size - EDGE_ITEMS; i < size; i++) collect(b, dim + 1, off + i * st, summarize, out);
            } else {
                for (int i = 0; i < size; i++) collect(b, dim + 1, off + i * st, summarize, out);
            }
        }

        String formatRaw(Buffer b, int off) {
            Storage s = b.storage;
            switch (s.dtype) {
                case BOOL:
                    return s.bool[off] != 0 ? "True" : "False";
                case INT64:
                    return Long.toString(s.i64[off]);
                case INT32:
                    return Integer.toString(s.i32[off]);
                default:
                    double v = s.getDouble(off);
                    if (Double.isNaN(v)) return "nan";
                    if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
                    if (sciMode) return String.format(Locale.ROOT, "%.4e", v);
                    if (intMode) return String.format(Locale.ROOT, "%.0f", v) + ".";
                    return String.format(Locale.ROOT, "%.4f", v);
            }
        }

        String format(Buffer b, int off) {
            String r = formatRaw(b, off);
            return r.length() < width ? " ".repeat(width - r.length()) + r : r;
        }
    }
}
