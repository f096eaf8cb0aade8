/**
 * The one graph IR of Kindling: a {@link org.kindling.jit.Graph} of {@link org.kindling.jit.Node}s over
 * {@link org.kindling.jit.Value}s, with named constant tensors. Operator names and attribute semantics are
 * ONNX's at the graph's recorded opset, so ONNX import and export are near one-to-one translations and the
 * {@code GraphExecutor} implements ONNX semantics with Kindling tensor ops.
 *
 * <pre>
 * GraphBuilder b = new GraphBuilder("mlp").opset("", 17);
 * Value x = b.input("x", DType.FLOAT32, Dim.symbolic("batch"), Dim.of(4));
 * Value w = b.constant("fc.weight", Kindling.randn(3, 4));
 * Value y = b.op("Gemm", Attributes.builder().put("transB", 1).build(), x, w);
 * b.output(y);
 * Graph g = b.build();
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.jit;
