package org.kindling.jit.internal;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.kindling.jit.Node;
import org.kindling.jit.UnsupportedOperatorException;
import org.kindling.tensor.Tensor;

/**
 * Operator implementations keyed by domain, op type and the opset version since which each applies; a node
 * binds to the highest since-version not above its graph's opset (ONNX's own rule).
 */
public final class OpRegistry {

    private static final OpRegistry DEFAULT = createDefault();

    private final Map<String, NavigableMap<Integer, OpKernel>> kernels = new java.util.HashMap<>();

    /** The registry with every built-in family. */
    public static OpRegistry standard() {
        return DEFAULT;
    }

    private static OpRegistry createDefault() {
        OpRegistry r = new OpRegistry();
        ElementwiseOps.register(r);
        ReductionOps.register(r);
        ShapeOps.register(r);
        IndexingOps.register(r);
        NnOps.register(r);
        RecurrentOps.register(r);
        ControlFlowOps.register(r);
        AttentionOps.register(r);
        MiscOps.register(r);
        GridSample.register(r);
        return r;
    }

    private static String key(String domain, String opType) {
        return domain.isEmpty() || domain.equals("ai.onnx") ? opType : domain + ":" + opType;
    }

    /** Registers {@code kernel} for the default domain from opset {@code since} on. */
    public OpRegistry op(String opType, int since, OpKernel kernel) {
        kernels.computeIfAbsent(key("", opType), k -> new TreeMap<>()).put(since, kernel);
        return this;
    }

    /** A one-input, one-output operator. */
    public OpRegistry unary(String opType, int since, UnaryOperator<Tensor> fn) {
        return op(opType, since, ctx -> new Tensor[] {fn.apply(ctx.input(0))});
    }

    /** A two-input, one-output operator (inputs broadcast as the Tensor op does). */
    public OpRegistry binary(String opType, int since, BinaryOperator<Tensor> fn) {
        return op(opType, since, ctx -> new Tensor[] {fn.apply(ctx.input(0), ctx.input(1))});
    }

    public boolean supports(String domain, String opType) {
        return kernels.containsKey(key(domain, opType));
    }

    /** The kernel for {@code node} at {@code opset}, or an error naming op, opset, node and supported range. */
    public OpKernel resolve(Node node, int opset) {
        NavigableMap<Integer, OpKernel> versions = kernels.get(key(node.domain(), node.opType()));
        String op = (node.domain().isEmpty() ? "" : node.domain() + ".") + node.opType();
        if (versions == null) {
            throw new UnsupportedOperatorException(node.describe() + ": operator " + op + " (opset " + opset
                    + ") is not supported by Kindling", node.name(), node.opType(), opset);
        }
        if (opset < 0) {
            throw new UnsupportedOperatorException(node.describe() + ": the graph imports no opset for domain '"
                    + node.domain() + "'", node.name(), node.opType(), opset);
        }
        Map.Entry<Integer, OpKernel> e = versions.floorEntry(opset);
        if (e == null) {
            throw new UnsupportedOperatorException(node.describe() + ": " + op + " at opset " + opset
                    + " is not supported (supported from opset " + versions.firstKey() + " on)", node.name(), node.opType(), opset);
        }
        return e.getValue();
    }
}
