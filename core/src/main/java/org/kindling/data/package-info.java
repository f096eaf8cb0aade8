/**
 * Data loading, the counterpart of {@code torch.utils.data}: datasets ({@link org.kindling.data.Dataset},
 * {@link org.kindling.data.IterableDataset}, {@link org.kindling.data.TensorDataset},
 * {@link org.kindling.data.Subset}, {@link org.kindling.data.ConcatDataset},
 * {@link org.kindling.data.Datasets#randomSplit}), samplers ({@link org.kindling.data.SequentialSampler},
 * {@link org.kindling.data.RandomSampler}, {@link org.kindling.data.SubsetRandomSampler},
 * {@link org.kindling.data.WeightedRandomSampler}, {@link org.kindling.data.BatchSampler}),
 * {@link org.kindling.data.Collate} and the {@link org.kindling.data.DataLoader} that joins them:
 * sampler &rarr; batch sampler &rarr; fetch &rarr; collate.
 *
 * <pre>
 * var data = new TensorDataset(x, y);                       // x: [N, 3], y: [N]
 * var splits = Datasets.randomSplit(data, new double[] {0.8, 0.2}, new Generator(0));
 * var loader = DataLoader.builder(splits.get(0)).batchSize(32).shuffle(true).generator(new Generator(1)).build();
 * for (Batch batch : loader) {
 *     Tensor out = model.forward(batch.x());                 // [32, ...]
 *     Tensor loss = lossFn.forward(out, batch.y());
 * }
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.data;
