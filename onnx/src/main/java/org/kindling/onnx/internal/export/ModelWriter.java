package org.kindling.onnx.internal.export;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.Channels;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.kindling.jit.Attributes;
import org.kindling.jit.Dim;
import org.kindling.jit.Graph;
import org.kindling.jit.Node;
import org.kindling.jit.Value;
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

/**
 * Writes a {@link Graph} as an ONNX model: nodes, constants as initializers (optionally in an
 * external data file), typed graph inputs and outputs, opset imports, doc string and metadata.
 * Both files are written to a temporary name in the target folder and renamed into place.
 */
public final class ModelWriter {
    /** The producer name recorded in the model. */
    public static final String PRODUCER = "kindling";

    private final long externalThreshold;
    private final boolean externalData;

    /** {@code externalData}: tensors of at least {@code threshold} bytes go to {@code <model>.data}. */
    public ModelWriter(boolean externalData, long threshold) {
        this.externalData = externalData;
        this.externalThreshold = threshold;
    }

    /** The IR version written for an opset: the oldest IR that carries it, so older runtimes load the file. */
    static int irVersion(int opset) {
        if (opset <= 12) return 7;
        if (opset == 13) return 7;
        if (opset <= 18) return 8;
        return 9;
    }

    /** Writes {@code graph} to {@code path}; returns the external data file, or null when none was written. */
    public Path write(Graph graph, Path path, String docString, Map<String, String> metadata) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        String dataName = path.getFileName() + ".data";
        Path dataPath = dir.resolve(dataName);
        Path dataTemp = null;
        GraphProto.Builder g;
        if (externalData) {
            dataTemp = Files.createTempFile(dir, "." + dataName, ".tmp");
            try (FileChannel ch = FileChannel.open(dataTemp, StandardOpenOption.WRITE);
                 OutputStream out = Channels.newOutputStream(ch)) {
                g = graphProto(graph, new ExternalSink(out, dataName));
                out.flush();
                ch.force(true);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(dataTemp);
                throw e;
            }
        } else {
            g = graphProto(graph, null);
        }
        ModelProto.Builder m = ModelProto.newBuilder()
                .setIrVersion(irVersion(graph.opsetVersion("")))
                .setProducerName(PRODUCER)
                .setProducerVersion(KindlingVersion.get())
                .setDocString(docString == null ? "" : docString)
                .setGraph(g);
        graph.opsets().forEach((domain, version) ->
                m.addOpsetImport(OperatorSetIdProto.newBuilder().setDomain(domain).setVersion(version)));
        for (var e : metadata.entrySet()) {
            m.addMetadataProps(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()));
        }
        ModelProto model = m.build();
        boolean wroteData = false;
        try {
            if (dataTemp != null) {
                if (Files.size(dataTemp) > 0) {
                    move(dataTemp, dataPath);
                    wroteData = true;
                } else {
                    Files.delete(dataTemp);
                }
            }
            Path temp = Files.createTempFile(dir, "." + path.getFileName(), ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
                     OutputStream out = Channels.newOutputStream(ch)) {
                    model.writeTo(out);
                    out.flush();
                    ch.force(true);
                }
                move(temp, path);
            } finally {
                Files.deleteIfExists(temp);
            }
        } finally {
            if (dataTemp != null) Files.deleteIfExists(dataTemp);
        }
        return wroteData ? dataPath : null;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Appends tensor bytes to the external data file, 64-byte aligned as ONNX's tools do. */
    private static final class ExternalSink {
        private final OutputStream out;
        private final String location;
        private long offset;

        ExternalSink(OutputStream out, String location) {
            this.out = out;
            this.location = location;
        }

        TensorProto put(TensorProto.Builder header, byte[] data) throws IOException {
            long pad = (64 - offset % 64) % 64;
            out.write(new byte[(int) pad]);
            offset += pad;
            out.write(data);
            header.setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue(location))
                    .addExternalData(StringStringEntryProto.newBuilder().setKey("offset").setValue(Long.toString(offset)))
                    .addExternalData(StringStringEntryProto.newBuilder().setKey("length").setValue(Long.toString(data.length)));
            offset += data.length;
            return header.build();
        }
    }

    /** The GraphProto of a graph (also used for subgraph attributes, which never go external). */
    GraphProto.Builder graphProto(Graph graph, ExternalSink sink) throws IOException {
        GraphProto.Builder g = GraphProto.newBuilder().setName(graph.name().isEmpty() ? "graph" : graph.name());
        if (!graph.docString().isEmpty()) g.setDocString(graph.docString());
        for (Value v : graph.inputs()) g.addInput(valueInfo(v));
        for (Value v : graph.outputs()) g.addOutput(valueInfo(v));
        for (Map.Entry<String, Tensor> c : graph.constants().entrySet()) {
            Tensor t = c.getValue();
            byte[] data = TensorEncoder.rawData(t);
            if (sink != null && data.length >= externalThreshold) {
                g.addInitializer(sink.put(TensorEncoder.header(c.getKey(), t), data));
            } else {
                g.addInitializer(TensorEncoder.header(c.getKey(), t).setRawData(ByteString.copyFrom(data)).build());
            }
        }
        for (Node n : graph.nodes()) g.addNode(nodeProto(n));
        return g;
    }

    private NodeProto nodeProto(Node n) throws IOException {
        NodeProto.Builder p = NodeProto.newBuilder().setOpType(n.opType()).setDomain(n.domain()).setName(n.name());
        for (Value v : n.inputs()) p.addInput(v.isAbsent() ? "" : v.name());
        for (Value v : n.outputs()) p.addOutput(v.isAbsent() ? "" : v.name());
        Attributes a = n.attributes();
        for (String name : a.names()) p.addAttribute(attribute(name, a));
        return p.build();
    }

    private AttributeProto attribute(String name, Attributes a) throws IOException {
        AttributeProto.Builder p = AttributeProto.newBuilder().setName(name);
        switch (a.kind(name)) {
            case INT -> p.setType(AttributeProto.AttributeType.INT).setI(a.getInt(name));
            case FLOAT -> p.setType(AttributeProto.AttributeType.FLOAT).setF(a.getFloat(name));
            case STRING -> p.setType(AttributeProto.AttributeType.STRING).setS(ByteString.copyFromUtf8(a.getString(name)));
            case TENSOR -> p.setType(AttributeProto.AttributeType.TENSOR).setT(TensorEncoder.encode("", a.getTensor(name)));
            case GRAPH -> p.setType(AttributeProto.AttributeType.GRAPH).setG(graphProto(a.getGraph(name), null));
            case INTS -> {
                p.setType(AttributeProto.AttributeType.INTS);
                for (long v : a.getInts(name)) p.addInts(v);
            }
            case FLOATS -> {
                p.setType(AttributeProto.AttributeType.FLOATS);
                for (float v : a.getFloats(name)) p.addFloats(v);
            }
            case STRINGS -> {
                p.setType(AttributeProto.AttributeType.STRINGS);
                for (String s : a.getStrings(name)) p.addStrings(ByteString.copyFromUtf8(s));
            }
            case TENSORS -> {
                p.setType(AttributeProto.AttributeType.TENSORS);
                for (Tensor t : a.getTensors(name)) p.addTensors(TensorEncoder.encode("", t));
            }
            case GRAPHS -> {
                p.setType(AttributeProto.AttributeType.GRAPHS);
                for (Graph sub : a.getGraphs(name)) p.addGraphs(graphProto(sub, null));
            }
        }
        return p.build();
    }

    private static ValueInfoProto valueInfo(Value v) {
        ValueInfoProto.Builder p = ValueInfoProto.newBuilder().setName(v.name());
        if (v.dtype().isPresent()) {
            TypeProto.Tensor.Builder t = TypeProto.Tensor.newBuilder().setElemType(TensorEncoder.dataType(v.dtype().get()));
            if (v.shape().isPresent()) {
                TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
                List<Dim> dims = v.shape().get();
                for (Dim d : dims) {
                    TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
                    if (d.isFixed()) {
                        db.setDimValue(d.size());
                    } else if (d.isSymbolic()) {
                        db.setDimParam(d.symbol());
                    }
                    s.addDim(db);
                }
                t.setShape(s);
            }
            p.setType(TypeProto.newBuilder().setTensorType(t));
        }
        return p.build();
    }
}
