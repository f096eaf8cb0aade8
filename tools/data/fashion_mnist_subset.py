#!/usr/bin/env python3
"""Cuts the committed Fashion-MNIST test subset out of Debian's dataset-fashion-mnist.

    apt-get install dataset-fashion-mnist
    /usr/bin/python3 tools/data/fashion_mnist_subset.py core/src/test/resources/data/fashion-mnist-subset

Writes the first TRAIN images/labels of the training set and the first TEST of the test set as
gzip'd IDX files with the original names, plus LICENSE (Fashion-MNIST is MIT, (c) 2017 Zalando SE).
"""
import gzip
import os
import struct
import sys

SRC = "/usr/share/datasets/fashion-mnist"
TRAIN, TEST = 4000, 1000


def cut(name, count, out_dir):
    with gzip.open(os.path.join(SRC, name), "rb") as f:
        data = f.read()
    magic, n = struct.unpack(">II", data[:8])
    if magic == 2051:
        rows, cols = struct.unpack(">II", data[8:16])
        header = struct.pack(">IIII", magic, count, rows, cols)
        body = data[16:16 + count * rows * cols]
    elif magic == 2049:
        header = struct.pack(">II", magic, count)
        body = data[8:8 + count]
    else:
        raise SystemExit(f"{name}: unexpected magic {magic}")
    with gzip.GzipFile(os.path.join(out_dir, name), "wb", mtime=0) as f:
        f.write(header + body)


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
cut("train-images-idx3-ubyte.gz", TRAIN, out)
cut("train-labels-idx1-ubyte.gz", TRAIN, out)
cut("t10k-images-idx3-ubyte.gz", TEST, out)
cut("t10k-labels-idx1-ubyte.gz", TEST, out)
with open(os.path.join(out, "LICENSE"), "w") as f:
    f.write("Fashion-MNIST subset: the first %d training and %d test images.\n"
            "Copyright (c) 2017 Zalando SE, https://tech.zalando.com\n"
            "Source: Debian package dataset-fashion-mnist (upstream zalandoresearch/fashion-mnist).\n\n" % (TRAIN, TEST))
    with open("/usr/share/doc/dataset-fashion-mnist/copyright") as c:
        text = c.read()
    f.write(text[text.index("License: Expat\n Permission"):].replace("\n .\n", "\n\n").replace("\n ", "\n"))
print("wrote", out)
