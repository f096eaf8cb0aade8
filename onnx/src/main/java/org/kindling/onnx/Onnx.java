package org.kindling.onnx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindling.jit.Graph;
import org.kindling.jit.GraphExecutor;
import org.kindling.jit.GraphModule;
import org.kindling.jit.Tracer;
import org.kindling.nn.Module;
import org.kindling.tensor.Tensor;
import org.kindling.onnx.internal.ModelImporter;
import org.kindling.onnx.internal.export.OnnxExporter;
import org.kindling.onnx.internal.export.OpsetConverter;
import org.kindling.onnx.internal.export.WeightsConverter;
import org.kindling.onnx.internal.verify.Verifier;
import org.kindling.onnx.internal.proto.OnnxProtos.AttributeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.GraphProto;
import org.kindling.onnx.internal.proto.OnnxProtos.ModelProto;
import org.kindling.onnx.internal.proto.OnnxProtos.NodeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.TensorProto;
import org.kindling.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.ValueInfoProto;

/**
 * ONNX in and out of Kindling. Import translates the file into Kindling's graph IR ({@link Graph}; op names and
 * attributes are ONNX's) and runs it with {@link GraphExecutor}, or turns it into a trainable {@link GraphModule}.
 * IR versions 3 to 13 and opsets 7 and newer are read; an unsupported operator is an {@link OnnxException}
 * naming the op, opset, node and the supported range. Model files are untrusted: see {@link OnnxLimits}.
 *
 * <pre>
 * OnnxModel model = Onnx.load(Path.of("model.onnx"));
 * Tensor y = model.forward(x).get(0);
 *
 * GraphModule trainable = Onnx.loadTrainable(Path.of("model.onnx"));
 * Optimizer opt = new Adam(trainable.parameters(), 1e-3);
 *
 * System.out.println(Onnx.inspect(Path.of("model.onnx")));
 * </pre>
 */
public final class Onnx {

    private Onnx() {}

    /** Reads and prepares a model for inference with the default {@link OnnxLimits}. */
    public static OnnxModel load(Path path) {
        return load(path, OnnxLimits.defaults());
    }

    public static OnnxModel load(Path path, OnnxLimits limits) {
        Graph graph = readGraph(path, limits);
        try {
            return new OnnxModel(graph, new GraphExecutor(graph));
        } catch (org.kindling.jit.UnsupportedOperatorException e) {
            throw new OnnxException(e.getMessage(), true, e);
        } catch (RuntimeException e) {
            throw new OnnxException(e.getMessage(), e);
        }
    }

    /** Reads a model as a trainable module whose float initializers are parameters (stateDict names = initializer names). */
    public static GraphModule loadTrainable(Path path) {
        return loadTrainable(path, OnnxLimits.defaults());
    }

    public static GraphModule loadTrainable(Path path, OnnxLimits limits) {
        Graph graph = readGraph(path, limits);
        try {
            return new GraphModule(graph);
        } catch (org.kindling.jit.UnsupportedOperatorException e) {
            throw new OnnxException(e.getMessage(), true, e);
        } catch (RuntimeException e) {
            throw new OnnxException(e.getMessage(), e);
        }
    }

    /** Reads a model file into the graph IR without preparing it to run. */
    public static Graph readGraph(Path path, OnnxLimits limits) {
        try {
            ModelProto m = ModelImporter.parse(path, limits);
            Path dir = path.toAbsolutePath().getParent();
            return ModelImporter.toGraph(m, dir, limits);
        } catch (OnnxException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // A file can be malformed in more ways than the checks name; never let one escape as anything else.
            throw new OnnxException("malformed ONNX model " + path + ": " + e, e);
        }
    }

    /** Summarises a model file (inputs, outputs, opsets, op histogram, parameter count and size) without decoding weights. */
    public static OnnxSummary inspect(Path path) {
        ModelProto m = ModelImporter.parse(path, OnnxLimits.defaults());
        GraphProto g = m.getGraph();
        Map<String, Integer> opsets = new LinkedHashMap<>();
        m.getOpsetImportList().forEach(o -> opsets.put(o.getDomain().equals("ai.onnx") ? "" : o.getDomain(), (int) o.getVersion()));
        java.util.Set<String> initNames = new java.util.HashSet<>();
        long count = 0, bytes = 0;
        for (TensorProto t : g.getInitializerList()) {
            initNames.add(t.getName());
            long n = 1;
            for (long d : t.getDimsList()) n = d < 0 ? 0 : Math.multiplyExact(n, d);
            count += n;
            bytes += n * elementBytes(t.getDataType());
        }
        List<String> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) if (!initNames.contains(v.getName())) inputs.add(describe(v));
        List<String> outputs = new ArrayList<>();
        for (ValueInfoProto v : g.getOutputList()) outputs.add(describe(v));
        Map<String, Integer> histogram = new LinkedHashMap<>();
        countOps(g, histogram);
        Map<String, Integer> sorted = new LinkedHashMap<>();
        histogram.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e -> sorted.put(e.getKey(), e.getValue()));
        String producer = (m.getProducerName() + " " + m.getProducerVersion()).trim();
        return new OnnxSummary(m.getIrVersion(), producer, opsets, inputs, outputs, sorted, count, bytes);
    }

    private static void countOps(GraphProto g, Map<String, Integer> histogram) {
        for (NodeProto n : g.getNodeList()) {
            String op = n.getDomain().isEmpty() || n.getDomain().equals("ai.onnx") ? n.getOpType() : n.getDomain() + "." + n.getOpType();
            histogram.merge(op, 1, Integer::sum);
            for (AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) countOps(a.getG(), histogram);
                for (GraphProto sub : a.getGraphsList()) countOps(sub, histogram);
            }
        }
    }

    private static int elementBytes(int type) {
        return switch (type) {
            case TensorProto.DataType.DOUBLE_VALUE, TensorProto.DataType.INT64_VALUE, TensorProto.DataType.UINT64_VALUE,
                 TensorProto.DataType.COMPLEX64_VALUE -> 8;
            case TensorProto.DataType.COMPLEX128_VALUE -> 16;
            case TensorProto.DataType.FLOAT_VALUE, TensorProto.DataType.INT32_VALUE, TensorProto.DataType.UINT32_VALUE -> 4;
            case TensorProto.DataType.FLOAT16_VALUE, TensorProto.DataType.BFLOAT16_VALUE, TensorProto.DataType.INT16_VALUE,
                 TensorProto.DataType.UINT16_VALUE -> 2;
            default -> 1;
        };
    }

    private static String describe(ValueInfoProto v) {
        StringBuilder sb = new StringBuilder(v.getName()).append(": ");
        if (!v.getType().hasTensorType()) return sb.append("non-tensor").toString();
        var tt = v.getType().getTensorType();
        TensorProto.DataType dt = TensorProto.DataType.forNumber(tt.getElemType());
        sb.append(dt == null ? "type " + tt.getElemType() : dt.name().toLowerCase());
        if (tt.hasShape()) {
            List<String> dims = new ArrayList<>();
            for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
                dims.add(d.hasDimValue() ? Long.toString(d.getDimValue()) : d.hasDimParam() ? d.getDimParam() : "?");
            }
            sb.append(dims);
        }
        return sb.toString();
    }
    // ------------------------------------------------------------------ export and verification

    /** Exports {@code module.forward(exampleInput)} at opset 17 with static shapes. */
    public static Graph export(Module module, Tensor exampleInput, Path path) {
        return export(module, new Tensor[] {exampleInput}, path, ExportOptions.defaults());
    }

    /**
     * Exports a module with one input: traces {@code module.forward} in eval mode (each submodule's
     * training mode is restored afterwards), writes the graph with the weights as initializers named
     * as in {@code stateDict()}, and returns the traced graph. The file is written atomically.
     *
     * <pre>
     * Onnx.export(model, new Tensor[] {Kindling.randn(2, 784)}, Path.of("mlp.onnx"),
     *         ExportOptions.builder().dynamicBatch().build());
     * </pre>
     */
    public static Graph export(Module module, Tensor[] exampleInputs, Path path, ExportOptions options) {
        if (exampleInputs.length != 1) {
            throw new IllegalArgumentException("export: a module with one-tensor forward takes one example input, got "
                    + exampleInputs.length + "; pass a Tracer.Forward for several inputs");
        }
        return export(module, in -> new Tensor[] {module.forward(in[0])}, exampleInputs, path, options);
    }

    /**
     * Exports {@code forward} (several inputs or outputs), which uses {@code module}'s parameters.
     *
     * <pre>
     * Onnx.export(lstm, in -&gt; new Tensor[] {lstm.forward(in[0], null, null).output()},
     *         new Tensor[] {x}, Path.of("lstm.onnx"), ExportOptions.defaults());
     * </pre>
     */
    public static Graph export(Module module, Tracer.Forward forward, Tensor[] exampleInputs, Path path,
                               ExportOptions options) {
        return OnnxExporter.export(module, forward, exampleInputs, path, options);
    }

    /**
     * Writes a graph (for instance an imported model) at {@code options.opset()}, rewriting the
     * operators whose signature differs between its opset and the target one.
     *
     * <pre>
     * Graph g = Onnx.load(Path.of("model13.onnx")).graph();
     * Onnx.export(g, Path.of("model18.onnx"), ExportOptions.builder().opset(18).build());
     * </pre>
     */
    public static void export(Graph graph, Path path, ExportOptions options) {
        OnnxExporter.write(OpsetConverter.convert(graph, options.opset()), path, options, null);
    }

    /**
     * Runs the model in ONNX Runtime and in Kindling on the same named inputs and reports, per
     * output, the largest absolute and relative differences.
     *
     * <pre>
     * VerificationReport r = Onnx.verify(Path.of("mlp.onnx"), Map.of("input", Kindling.randn(5, 784)));
     * if (!r.agrees(1e-4, 1e-5)) throw new IllegalStateException(r.toString());
     * </pre>
     */
    public static VerificationReport verify(Path path, Map<String, Tensor> inputs) {
        OnnxModel model = load(path);
        return Verifier.verify(path, inputs, model::forward);
    }

    /** {@link #verify(Path, Map)} with the inputs in the model's order. */
    public static VerificationReport verify(Path path, Tensor... inputs) {
        OnnxModel model = load(path);
        List<String> names = model.inputNames();
        if (names.size() != inputs.length) {
            throw new IllegalArgumentException("verify: the model takes " + names.size() + " inputs " + names + ", got "
                    + inputs.length);
        }
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (int i = 0; i < inputs.length; i++) named.put(names.get(i), inputs[i]);
        return Verifier.verify(path, named, model::forward);
    }

    /**
     * Saves the initializers of an ONNX model as a safetensors checkpoint (names kept, so a Kindling
     * module exported earlier loads it with {@code loadStateDict}).
     */
    public static void toSafetensors(Path onnx, Path safetensors) {
        WeightsConverter.toSafetensors(readGraph(onnx, OnnxLimits.defaults()), safetensors);
    }

    /**
     * Writes a copy of an ONNX model whose initializers come from a safetensors checkpoint; every
     * tensor in the checkpoint must match an initializer's name, dtype and shape.
     */
    public static void withWeights(Path onnx, Path safetensors, Path out) {
        Graph g = readGraph(onnx, OnnxLimits.defaults());
        Graph updated = WeightsConverter.withWeights(g, safetensors);
        OnnxExporter.write(updated, out, ExportOptions.builder().opset(g.opsetVersion("")).build(), safetensors.toString());
    }
}
