package org.kindling.onnx.internal.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kindling.jit.Graph;
import org.kindling.jit.TraceException;
import org.kindling.jit.Tracer;
import org.kindling.nn.Module;
import org.kindling.onnx.ExportOptions;
import org.kindling.onnx.OnnxException;
import org.kindling.tensor.Tensor;

/**
 * Module to ONNX file: puts the module in eval mode (as {@code torch.onnx.export} does), traces it
 * at the chosen opset, writes the graph, and restores each submodule's training mode.
 */
public final class OnnxExporter {
    private OnnxExporter() {}

    /** Traces and writes {@code module}; returns the traced graph. */
    public static Graph export(Module module, Tracer.Forward forward, Tensor[] inputs, Path path, ExportOptions options) {
        Map<Module, Boolean> modes = new LinkedHashMap<>();
        for (Module m : module.modules()) modes.putIfAbsent(m, m.isTraining());
        Graph graph;
        module.eval();
        try {
            graph = Tracer.trace(module, forward, options.traceOptions(), inputs);
        } catch (TraceException e) {
            throw new OnnxException("cannot export " + module.getClass().getSimpleName() + ": " + e.getMessage(), e);
        } finally {
            // train(mode) recurses; parents come before their children, so each ends as it was
            modes.forEach(Module::train);
        }
        write(graph, path, options, module.getClass().getName());
        return graph;
    }

    /** Writes an already built graph (an imported or re-targeted model) with the options' files and metadata. */
    public static void write(Graph graph, Path path, ExportOptions options, String source) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("kindling_version", KindlingVersion.get());
        if (source != null) metadata.put("source", source);
        metadata.putAll(options.metadata());
        String doc = options.docString().isEmpty()
                ? "Exported by Kindling " + KindlingVersion.get() + (source == null ? "" : " from " + source)
                : options.docString();
        try {
            new ModelWriter(options.externalData(), options.externalThreshold()).write(graph, path, doc, metadata);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ONNX model " + path + ": " + e.getMessage(), e);
        }
    }
}
