/**
 * Checkpoints: {@link org.kindling.io.StateDict} (an ordered name to tensor map, PyTorch's
 * {@code state_dict}) saved and loaded as <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * files by {@link org.kindling.io.Safetensors} or its PyTorch-style facade
 * {@link org.kindling.io.Checkpoints}. Files are written atomically; files read are untrusted and
 * checked against {@link org.kindling.io.Safetensors.Limits} before anything is allocated.
 *
 * <pre>
 * Checkpoints.save(model.stateDict(), Path.of("model.safetensors"));
 * StateDict sd = Checkpoints.load(Path.of("model.safetensors"));
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.io;
