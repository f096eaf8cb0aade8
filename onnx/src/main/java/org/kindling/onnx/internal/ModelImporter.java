package org.kindling.onnx.internal;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.kindling.jit.Attributes;
import org.kindling.jit.Dim;
import org.kindling.jit.Graph;
import org.kindling.jit.GraphException;
import org.kindling.jit.Node;
import org.kindling.jit.Value;
import org.kindling.onnx.OnnxException;
import org.kindling.onnx.OnnxLimits;
import org.kindling.onnx.internal.proto.OnnxProtos.AttributeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.GraphProto;
import org.kindling.onnx.internal.proto.OnnxProtos.ModelProto;
import org.kindling.onnx.internal.proto.OnnxProtos.NodeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.OperatorSetIdProto;
import org.kindling.onnx.internal.proto.OnnxProtos.StringStringEntryProto;
import org.kindling.onnx.internal.proto.OnnxProtos.TensorProto;
import org.kindling.onnx.internal.proto.OnnxProtos.TensorShapeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.TypeProto;
import org.kindling.onnx.internal.proto.OnnxProtos.ValueInfoProto;
import org.kindling.tensor.Tensor;

/** ONNX ModelProto -> graph IR: a near one-to-one translation (op names and attributes are ONNX's). */
public final class ModelImporter {

    public static final int MIN_IR_VERSION = 3;
    public static final int MAX_IR_VERSION = 13;

    private final Path modelDir;
    private final Budget budget;
    private int nodeCount;

    private ModelImporter(Path modelDir, OnnxLimits limits) {
        this.modelDir = modelDir;
        this.budget = new Budget(limits);
    }

    /** Parses a model file with explicit size and nesting limits. */
    public static ModelProto parse(Path path, OnnxLimits limits) {
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            throw new OnnxException("cannot read ONNX model " + path + ": " + e.getMessage(), e);
        }
        if (size > limits.maxFileBytes()) {
            throw new OnnxException("ONNX model " + path + " has " + size + " bytes, over the limit of " + limits.maxFileBytes()
                    + " (OnnxLimits.maxFileBytes)");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return parse(in, limits, path.toString());
        } catch (IOException e) {
            throw new OnnxException("cannot read ONNX model " + path + ": " + e.getMessage(), e);
        }
    }

    public static ModelProto parse(InputStream in, OnnxLimits limits, String what) throws IOException {
        CodedInputStream cis = CodedInputStream.newInstance(in);
        cis.setSizeLimit((int) Math.min(Integer.MAX_VALUE, limits.maxFileBytes()));
        cis.setRecursionLimit(limits.maxNestingDepth());
        try {
            ModelProto m = ModelProto.parseFrom(cis);
            cis.checkLastTagWas(0);
            return m;
        } catch (InvalidProtocolBufferException e) {
            throw new OnnxException(what + " is not a valid ONNX model: " + e.getMessage(), e);
        }
    }

    /** Parses a single TensorProto file (as in the ONNX test data sets). */
    public static TensorProto parseTensor(Path path, OnnxLimits limits) {
        try (InputStream in = Files.newInputStream(path)) {
            CodedInputStream cis = CodedInputStream.newInstance(in);
            cis.setSizeLimit((int) Math.min(Integer.MAX_VALUE, limits.maxFileBytes()));
            cis.setRecursionLimit(limits.maxNestingDepth());
            return TensorProto.parseFrom(cis);
        } catch (IOException e) {
            throw new OnnxException("cannot read tensor file " + path + ": " + e.getMessage(), e);
        }
    }

    /** Translates a parsed model; {@code modelDir} resolves external data. */
    public static Graph toGraph(ModelProto m, Path modelDir, OnnxLimits limits) {
        return new ModelImporter(modelDir, limits).model(m);
    }

    private Graph model(ModelProto m) {
        long ir = m.getIrVersion();
        if (ir < MIN_IR_VERSION || ir > MAX_IR_VERSION) {
            throw new OnnxException("ONNX IR version " + ir + " is not supported (Kindling reads IR versions " + MIN_IR_VERSION
                    + " to " + MAX_IR_VERSION + ")", ir > MAX_IR_VERSION, null);
        }
        if (!m.hasGraph()) throw new OnnxException("the model has no graph");
        Map<String, Integer> opsets = new LinkedHashMap<>();
        for (OperatorSetIdProto o : m.getOpsetImportList()) {
            String domain = o.getDomain().equals("ai.onnx") ? "" : o.getDomain();
            if (o.getVersion() < 1 || o.getVersion() > 10_000) throw new OnnxException("opset version " + o.getVersion() + " for domain '" + domain + "' is invalid");
            opsets.put(domain, (int) o.getVersion());
        }
        int opset = opsets.getOrDefault("", 7);
        if (opset < 7) {
            throw new OnnxException("ONNX opset " + opset + " is not supported (Kindling runs opsets 7 and newer)", true, null);
        }
        if (m.getFunctionsCount() > 0) {
            Set<String> functionNames = new HashSet<>();
            m.getFunctionsList().forEach(f -> functionNames.add(f.getDomain() + ":" + f.getName()));
            throw new OnnxException("model-local functions " + functionNames + " are not supported", true, null);
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        if (!m.getProducerName().isEmpty()) metadata.put("producer_name", m.getProducerName());
        if (!m.getProducerVersion().isEmpty()) metadata.put("producer_version", m.getProducerVersion());
        if (!m.getDomain().isEmpty()) metadata.put("domain", m.getDomain());
        if (m.getModelVersion() != 0) metadata.put("model_version", Long.toString(m.getModelVersion()));
        metadata.put("ir_version", Long.toString(ir));
        for (StringStringEntryProto e : m.getMetadataPropsList()) metadata.put(e.getKey(), e.getValue());
        return graph(m.getGraph(), opsets, m.getDocString(), metadata, false);
    }

    private Graph graph(GraphProto g, Map<String, Integer> opsets, String doc, Map<String, String> metadata, boolean subgraph) {
        if (g.getSparseInitializerCount() > 0) throw new OnnxException("graph '" + g.getName() + "': sparse initializers are not supported", true, null);
        Map<String, Tensor> constants = new LinkedHashMap<>();
        for (TensorProto t : g.getInitializerList()) {
            if (t.getName().isEmpty()) throw new OnnxException("graph '" + g.getName() + "': an initializer has no name");
            if (constants.containsKey(t.getName())) throw new OnnxException("graph '" + g.getName() + "': initializer '" + t.getName() + "' is declared twice");
            constants.put(t.getName(), TensorProtos.toTensor(t, modelDir, budget));
        }
        List<Value> inputs = new ArrayList<>();
        for (ValueInfoProto v : g.getInputList()) inputs.add(value(v, "input", constants.containsKey(v.getName())));
        List<Value> outputs = new ArrayList<>();
        for (ValueInfoProto v : g.getOutputList()) outputs.add(value(v, "output", false));
        List<Node> nodes = new ArrayList<>();
        for (NodeProto n : g.getNodeList()) {
            if (++nodeCount > budget.limits().maxNodes()) {
                throw new OnnxException("the model has more than " + budget.limits().maxNodes() + " nodes (OnnxLimits.maxNodes)");
            }
            nodes.add(node(n, opsets));
        }
        try {
            return new Graph(g.getName(), inputs, outputs, nodes, constants, subgraph ? Map.of() : opsets,
                    subgraph ? g.getDocString() : (doc.isEmpty() ? g.getDocString() : doc), metadata, subgraph);
        } catch (GraphException e) {
            throw new OnnxException("invalid graph: " + e.getMessage(), e);
        }
    }

    private Value value(ValueInfoProto v, String role, boolean hasDefault) {
        String what = "graph " + role + " '" + v.getName() + "'";
        if (v.getName().isEmpty()) throw new OnnxException("a graph " + role + " has no name");
        if (!v.hasType()) return Value.of(v.getName());
        TypeProto t = v.getType();
        if (!t.hasTensorType()) {
            String kind = t.hasSequenceType() ? "a sequence" : t.hasOptionalType() ? "an optional" : t.hasMapType() ? "a map"
                    : t.hasSparseTensorType() ? "a sparse tensor" : "a non-tensor value";
            throw new OnnxException(what + " is " + kind + ", which Kindling does not support", true, null);
        }
        TypeProto.Tensor tt = t.getTensorType();
        var dtype = tt.getElemType() == 0 ? null : TensorProtos.dtype(tt.getElemType(), what);
        List<Dim> shape = null;
        if (tt.hasShape()) {
            shape = new ArrayList<>();
            for (TensorShapeProto.Dimension d : tt.getShape().getDimList()) {
                if (d.hasDimValue() && d.getDimValue() >= 0) shape.add(Dim.of(d.getDimValue()));
                else if (d.hasDimParam() && !d.getDimParam().isEmpty()) shape.add(Dim.symbolic(d.getDimParam()));
                else shape.add(Dim.unknown());
            }
        }
        return Value.of(v.getName(), dtype, hasDefault ? null : shape);
    }

    private Node node(NodeProto n, Map<String, Integer> opsets) {
        List<Value> in = new ArrayList<>();
        for (String s : n.getInputList()) in.add(s.isEmpty() ? Value.absent() : Value.of(s));
        List<Value> out = new ArrayList<>();
        for (String s : n.getOutputList()) out.add(s.isEmpty() ? Value.absent() : Value.of(s));
        String label = n.getOpType() + " node '" + n.getName() + "'";
        Attributes.Builder attrs = Attributes.builder();
        for (AttributeProto a : n.getAttributeList()) {
            if (!a.getRefAttrName().isEmpty()) throw new OnnxException(label + ": attribute references are only valid inside functions");
            String name = a.getName();
            if (name.isEmpty()) throw new OnnxException(label + ": an attribute has no name");
            switch (a.getType()) {
                case FLOAT -> attrs.put(name, a.getF());
                case INT -> attrs.put(name, a.getI());
                case STRING -> attrs.put(name, a.getS().toString(StandardCharsets.UTF_8));
                case TENSOR -> attrs.put(name, TensorProtos.toTensor(a.getT(), modelDir, budget));
                case GRAPH -> attrs.put(name, graph(a.getG(), opsets, "", Map.of(), true));
                case FLOATS -> {
                    float[] f = new float[a.getFloatsCount()];
                    for (int i = 0; i < f.length; i++) f[i] = a.getFloats(i);
                    attrs.put(name, f);
                }
                case INTS -> {
                    long[] l = new long[a.getIntsCount()];
                    for (int i = 0; i < l.length; i++) l[i] = a.getInts(i);
                    attrs.put(name, l);
                }
                case STRINGS -> {
                    List<String> s = new ArrayList<>();
                    a.getStringsList().forEach(b -> s.add(b.toString(StandardCharsets.UTF_8)));
                    attrs.putStrings(name, s);
                }
                case TENSORS -> {
                    List<Tensor> ts = new ArrayList<>();
                    for (TensorProto t : a.getTensorsList()) ts.add(TensorProtos.toTensor(t, modelDir, budget));
                    attrs.putTensors(name, ts);
                }
                case GRAPHS -> {
                    List<Graph> gs = new ArrayList<>();
                    for (GraphProto g : a.getGraphsList()) gs.add(graph(g, opsets, "", Map.of(), true));
                    attrs.putGraphs(name, gs);
                }
                default -> throw new OnnxException(label + ": attribute '" + name + "' of type " + a.getType()
                        + " is not supported", true, null);
            }
        }
        try {
            return new Node(n.getOpType(), n.getDomain(), n.getName(), in, out, attrs.build());
        } catch (IllegalArgumentException e) {
            throw new OnnxException("invalid node: " + e.getMessage(), e);
        }
    }
}
