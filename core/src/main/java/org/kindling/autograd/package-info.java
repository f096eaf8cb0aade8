/**
 * Functional autograd ({@link org.kindling.autograd.Autograd#grad}) and gradient checking
 * ({@link org.kindling.autograd.GradCheck}). Recording itself lives on
 * {@link org.kindling.tensor.Tensor} ({@code requiresGrad_}, {@code backward}) and
 * {@link org.kindling.tensor.Function}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.autograd;
