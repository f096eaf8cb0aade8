package org.kindling.vision.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.kindling.Kindling;
import org.kindling.io.Safetensors;
import org.kindling.jit.Dim;
import org.kindling.jit.Node;
import org.kindling.jit.Value;
import org.kindling.nn.Module;
import org.kindling.onnx.ExportOptions;
import org.kindling.onnx.Onnx;
import org.kindling.onnx.OnnxException;
import org.kindling.onnx.OnnxModel;
import org.kindling.onnx.VerificationReport;
import org.kindling.tensor.DType;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;

/**
 * The vision bundle's use of the onnx bundle, an optional import: callers check {@link #available()} first, so this
 * class (and with it {@code org.kindling.onnx}) is only loaded when the onnx bundle is installed.
 */
final class OnnxSupport {

    static final String INPUT = "image";
    static final String OUTPUT = "logits";

    private OnnxSupport() {
    }

    /** @return true when the onnx bundle's API can be loaded from this bundle */
    static boolean available() {
        try {
            Class.forName("org.kindling.onnx.Onnx", false, TrainWorkload.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * Exports the model (eval mode, dynamic batch) and runs it in ONNX Runtime and Kindling on {@code sample}.
     *
     * @return the comparison; {@link VerificationReport#agrees} tells whether the export is faithful
     */
    static VerificationReport exportAndVerify(Module model, Tensor sample, Path file, String docString) {
        Onnx.export(model, new Tensor[] {sample}, file, ExportOptions.builder().dynamicBatch().inputNames(INPUT)
                .outputNames(OUTPUT).docString(docString).build());
        return Onnx.verify(file, Map.of(INPUT, sample));
    }

    /**
     * What an ONNX file must be to serve as an image classifier: one float32 input [N, C, H, W] with fixed C (1 or
     * 3), H and W, and a first output [N, classes].
     *
     * @param input the input's name
     * @param channels C
     * @param height H
     * @param width W
     * @param classes the size of the output's last dimension, found by running the model on two blank images
     */
    record ClassifierShape(String input, int channels, int height, int width, int classes) {
    }

    /**
     * Loads the file with the onnx bundle's importer and runs it once on a batch of two mid-grey images, so a model
     * that is not an image classifier, or uses an operator Kindling lacks, is refused at import.
     *
     * @throws IOException naming what was expected and what the file has
     */
    static ClassifierShape inspectClassifier(Path file) throws IOException {
        OnnxModel model;
        try {
            model = Onnx.load(file);
        } catch (OnnxException e) {
            throw new IOException(file.getFileName() + " cannot be read as ONNX: " + e.getMessage(), e);
        }
        List<Value> inputs = model.graph().requiredInputs();
        String expected = "an image classifier has one float32 input [N, C, H, W] with C = 1 or 3 and fixed H, W";
        if (inputs.size() != 1) {
            throw new IOException(file.getFileName() + ": " + expected + "; this model has " + inputs.size()
                    + " inputs " + inputs);
        }
        Value input = inputs.get(0);
        List<Dim> shape = input.shape().orElse(List.of());
        boolean image = shape.size() == 4 && shape.get(1).isFixed() && shape.get(2).isFixed()
                && shape.get(3).isFixed() && (shape.get(1).size() == 1 || shape.get(1).size() == 3)
                && shape.get(2).size() >= 1 && shape.get(3).size() >= 1
                && input.dtype().map(t -> t == DType.FLOAT32).orElse(true);
        if (!image) {
            throw new IOException(file.getFileName() + ": " + expected + "; its input '" + input.name() + "' is "
                    + input.dtype().map(Object::toString).orElse("of unknown type") + " "
                    + (shape.isEmpty() ? "of unknown shape" : shape.toString()));
        }
        int channels = (int) shape.get(1).size();
        int height = (int) shape.get(2).size();
        int width = (int) shape.get(3).size();
        int batch = shape.get(0).isFixed() ? (int) shape.get(0).size() : 2;
        Tensor blank = Kindling.zeros(batch, channels, height, width);
        Tensor logits;
        try (var g = GradMode.noGrad()) {
            logits = model.forward(blank).get(0);
        } catch (OnnxException e) {
            throw new IOException(file.getFileName() + " does not run on [" + batch + ", " + channels + ", " + height
                    + ", " + width + "] images: " + e.getMessage(), e);
        }
        if (logits.dim() != 2 || logits.size(0) != batch || logits.size(1) < 2 || !logits.isFloatingPoint()) {
            throw new IOException(file.getFileName() + ": an image classifier's first output is float [N, classes] "
                    + "(one score per class, classes >= 2); on a batch of " + batch + " images '"
                    + model.outputNames().get(0) + "' is " + logits.dtype() + " " + logits.shape());
        }
        String output = model.graph().outputs().get(0).name();
        for (Node node : model.graph().nodes()) {
            if (node.opType().equals("Softmax") && node.outputs().stream().anyMatch(v -> v.name().equals(output))) {
                throw new IOException(file.getFileName() + ": its output '" + output + "' comes from a Softmax, so "
                        + "it holds probabilities; the image predictor and vision.train take logits (the scores "
                        + "before softmax): export the model without its final softmax");
            }
        }
        return new ClassifierShape(input.name(), channels, height, width, logits.size(1));
    }

    /** @return the float initializers of the file by name: for a Kindling export, the module's state dict */
    static Map<String, Tensor> initializers(Path file) throws IOException {
        Path tmp = Files.createTempFile("kindling-initializers", ".safetensors");
        try {
            Onnx.toSafetensors(file, tmp);
            return Safetensors.load(tmp);
        } catch (OnnxException e) {
            throw new IOException("cannot read the weights of " + file.getFileName() + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** @return the ONNX graph as a module whose parameters are the file's float initializers */
    static Module loadTrainable(Path file) {
        return Onnx.loadTrainable(file);
    }

    /**
     * Writes {@code source} with the weights of {@code trained} (a module from {@link #loadTrainable} of that
     * file), then checks that the written file computes what the module computes on {@code sample}.
     *
     * @return the largest absolute difference on the sample
     * @throws IOException when writing fails or the written file disagrees with the module beyond {@code 1e-4}
     */
    static double writeWithWeights(Path source, Module trained, Path weights, Path target, Tensor sample)
            throws IOException {
        Safetensors.save(trained.stateDict(), weights);
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        try {
            Onnx.withWeights(source, weights, tmp);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (OnnxException e) {
            throw new IOException("writing " + target.getFileName() + " with the trained weights failed: "
                    + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
        boolean wasTraining = trained.isTraining();
        trained.eval();
        float[] expected;
        float[] actual;
        try (var g = GradMode.noGrad()) {
            expected = trained.forward(sample).toFloatArray();
            actual = Onnx.load(target).forward(sample).get(0).toFloatArray();
        } finally {
            trained.train(wasTraining);
        }
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        if (!(worst <= 1e-4 * (1 + maxAbs(expected)))) {
            throw new IOException(target.getFileName() + " computes other logits than the trained module: max "
                    + "|difference| " + worst);
        }
        return worst;
    }

    private static double maxAbs(float[] values) {
        double m = 0;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** @return the stored ONNX model as a function from a batch of images to logits */
    static UnaryOperator<Tensor> load(Path file) {
        OnnxModel model = Onnx.load(file);
        return x -> model.forward(x).get(0);
    }
}
