/**
 * Optimizers, PyTorch's {@code torch.optim}: {@link org.kindling.optim.Optimizer} with
 * {@link org.kindling.optim.ParamGroup}s and lazily created per-parameter state, the optimizers
 * {@link org.kindling.optim.SGD}, {@link org.kindling.optim.Adam}, {@link org.kindling.optim.AdamW},
 * {@link org.kindling.optim.RMSprop} and {@link org.kindling.optim.Adagrad} (one per file, each
 * matching PyTorch 1.13's update rule), {@link org.kindling.optim.OptimizerStateDict} to resume
 * training exactly, and {@link org.kindling.optim.ClipGrad}. Learning-rate schedulers are in
 * {@code org.kindling.optim.lr}.
 *
 * <pre>
 * Optimizer opt = SGD.builder(model.parameters()).lr(0.1).momentum(0.9).build();
 * LRScheduler sched = new CosineAnnealingLR(opt, epochs);
 * for (int epoch = 0; epoch &lt; epochs; epoch++) {
 *     for (Batch b : loader) {
 *         opt.zeroGrad();
 *         lossFn.forward(model.forward(b.input()), b.target()).backward();
 *         opt.step();
 *     }
 *     sched.step();
 * }
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.optim;
