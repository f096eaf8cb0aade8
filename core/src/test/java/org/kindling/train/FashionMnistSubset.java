package org.kindling.train;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.kindling.Kindling;
import org.kindling.tensor.Tensor;

/** Reads the committed Fashion-MNIST subset (IDX, gzip) from test resources. */
final class FashionMnistSubset {
    private FashionMnistSubset() {}

    /** Images as float32 [N, 784] scaled to [0, 1] and normalised with mean 0.2860, std 0.3530. */
    static Tensor images(String name) throws IOException {
        try (DataInputStream in = open(name)) {
            int magic = in.readInt();
            if (magic != 2051) throw new IOException(name + ": bad magic " + magic + ", expected 2051");
            int n = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            byte[] raw = in.readNBytes(n * rows * cols);
            if (raw.length != n * rows * cols) throw new IOException(name + ": truncated");
            float[] px = new float[raw.length];
            for (int i = 0; i < raw.length; i++) px[i] = ((raw[i] & 0xff) / 255f - 0.2860f) / 0.3530f;
            return Kindling.fromArray(px, n, rows * cols);
        }
    }

    /** Labels as int64 [N]. */
    static Tensor labels(String name) throws IOException {
        try (DataInputStream in = open(name)) {
            int magic = in.readInt();
            if (magic != 2049) throw new IOException(name + ": bad magic " + magic + ", expected 2049");
            int n = in.readInt();
            byte[] raw = in.readNBytes(n);
            long[] y = new long[n];
            for (int i = 0; i < n; i++) y[i] = raw[i] & 0xff;
            return Kindling.fromArray(y, n);
        }
    }

    private static DataInputStream open(String name) throws IOException {
        InputStream s = FashionMnistSubset.class.getResourceAsStream("/data/fashion-mnist-subset/" + name);
        if (s == null) throw new IOException("missing test resource /data/fashion-mnist-subset/" + name);
        return new DataInputStream(new GZIPInputStream(s));
    }
}
