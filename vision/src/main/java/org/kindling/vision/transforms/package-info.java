/**
 * Image transforms on tensors of shape [C, H, W], named after torchvision's: {@link ToTensor} (0..255 to [0, 1]),
 * {@link Normalize}, {@link Resize}, {@link CenterCrop}, {@link RandomCrop} (with padding),
 * {@link RandomHorizontalFlip}, chained by {@link Compose}. Random transforms draw from their own seeded generator,
 * so a single-threaded loader gives the same augmentation on every run.
 *
 * <pre>
 * Transform train = Compose.of(new RandomCrop(28, 2, seed), new RandomHorizontalFlip(0.5, seed + 1),
 *         new ToTensor(), new Normalize(0.2860, 0.3530));
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.vision.transforms;
