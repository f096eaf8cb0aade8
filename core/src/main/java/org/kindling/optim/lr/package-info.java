/**
 * Learning-rate schedulers, PyTorch's {@code torch.optim.lr_scheduler}: each
 * {@link org.kindling.optim.lr.LRScheduler} sets the {@code lr} of its optimizer's parameter groups
 * when {@link org.kindling.optim.lr.LRScheduler#step()} is called, after the optimizer's step
 * (once per epoch, or per batch for {@link org.kindling.optim.lr.OneCycleLR}).
 * {@link org.kindling.optim.lr.ReduceLROnPlateau} instead steps on a validation metric.
 *
 * <pre>
 * Optimizer opt = new SGD(model.parameters(), 0.1);
 * LRScheduler warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * LRScheduler decay = new CosineAnnealingLR(opt, 95);
 * LRScheduler sched = new SequentialLR(opt, List.of(warmup, decay), 5);
 * for (int epoch = 0; epoch &lt; 100; epoch++) {
 *     train(model, opt);
 *     sched.step();
 * }
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.optim.lr;
