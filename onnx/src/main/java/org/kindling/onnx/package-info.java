/**
 * ONNX interoperability: {@link org.kindling.onnx.Onnx#load} runs an ONNX file with Kindling's graph executor,
 * {@link org.kindling.onnx.Onnx#loadTrainable} turns it into a trainable {@code GraphModule}, and
 * {@link org.kindling.onnx.Onnx#inspect} summarises it. Files are untrusted: sizes are checked against
 * {@link org.kindling.onnx.OnnxLimits} before anything is allocated.
 *
 * <pre>
 * OnnxModel model = Onnx.load(Path.of("mlp.onnx"));
 * Tensor logits = model.forward(Kindling.randn(8, 784)).get(0);
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.onnx;
