#!/usr/bin/env python3
"""A small Fashion-MNIST image classifier made by real PyTorch and exported to ONNX, for the tests of
`kindling models import --labels` and `vision.train init-from=<imported model>`.

Regenerate the committed fixture (needs Debian's python3-torch, which only /usr/bin/python3 has, and the
Debian Fashion-MNIST files in /usr/share/datasets/fashion-mnist):

    /usr/bin/python3 tools/reference/onnx_classifier_fixture.py vision/src/test/resources/pytorch

It writes, into that folder:

  fashion_cnn.onnx     conv(1->8, 3x3) - batchnorm - relu - maxpool(2) - conv(8->16, 3x3) - batchnorm - relu -
                       maxpool(2) - flatten - linear(784->10); input "image" [batch, 1, 28, 28] float32 (batch is a
                       dynamic axis), output "logits" [batch, 10]; opset 13, exported in eval mode by
                       torch.onnx.export (so PyTorch folds each batchnorm into its conv)
  labels.txt           the ten Fashion-MNIST class names, one per line, in class-index order
  expected.txt         what PyTorch computes for a few real test images, for Java tests that never run Python:
                         mean M / std S       the normalisation the model was trained with: x = (pixel/255 - M) / S
                         correct K of T       how many of the first T test images PyTorch classifies right
                         image I LABEL        image I of the Fashion-MNIST test split and its true class
                         pixels p0 ... p783   its 28x28 grey pixels (0-255), row by row
                         logits l0 ... l9     PyTorch's output for it, float32 values written with repr()

The model is trained for one short epoch (SGD with momentum, fixed seed) on 2,000 training images that are not
in the repository's 4,000-image subset (images 10,000 to 11,999 of the training split), so it is well above
chance yet leaves room for a fine-tuning test on the subset to improve it.
"""
import gzip
import os
import struct
import sys

import numpy as np
import torch
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"
MEAN = 0.2860
STD = 0.3530
LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
TRAIN_FIRST = 10_000
TRAIN_COUNT = 2_000
EXPECTED_IMAGES = [0, 1, 2, 3, 4, 5, 6, 7]


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def normalise(pixels):
    x = torch.from_numpy(pixels.astype(np.float32)).unsqueeze(1) / 255.0
    return (x - MEAN) / STD


class FashionCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2))
        self.flatten = nn.Flatten()
        self.classifier = nn.Linear(16 * 7 * 7, len(LABELS))

    def forward(self, x):
        return self.classifier(self.flatten(self.features(x)))


def train(model, images, labels):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    order = torch.randperm(len(labels))
    model.train()
    for start in range(0, len(labels), 50):
        batch = order[start:start + 50]
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images[batch]), labels[batch])
        loss.backward()
        optimizer.step()
    model.eval()


def main(out_dir):
    torch.manual_seed(7)
    train_images = read_idx(os.path.join(DATA, "train-images-idx3-ubyte.gz"))
    train_labels = read_idx(os.path.join(DATA, "train-labels-idx1-ubyte.gz"))
    test_images = read_idx(os.path.join(DATA, "t10k-images-idx3-ubyte.gz"))
    test_labels = read_idx(os.path.join(DATA, "t10k-labels-idx1-ubyte.gz"))

    model = FashionCnn()
    x = normalise(train_images[TRAIN_FIRST:TRAIN_FIRST + TRAIN_COUNT])
    y = torch.from_numpy(train_labels[TRAIN_FIRST:TRAIN_FIRST + TRAIN_COUNT].astype(np.int64))
    train(model, x, y)

    with torch.no_grad():
        test_x = normalise(test_images[:1000])
        correct = int((model(test_x).argmax(1).numpy() == test_labels[:1000]).sum())
    print(f"accuracy on the first 1000 test images: {correct / 1000:.3f}")

    os.makedirs(out_dir, exist_ok=True)
    onnx_path = os.path.join(out_dir, "fashion_cnn.onnx")
    torch.onnx.export(model, normalise(test_images[:2]), onnx_path + ".tmp", opset_version=13,
                      input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
    os.replace(onnx_path + ".tmp", onnx_path)

    write(os.path.join(out_dir, "labels.txt"), "".join(label + "\n" for label in LABELS))

    lines = [f"mean {MEAN}", f"std {STD}", f"correct {correct} of 1000"]
    with torch.no_grad():
        for i in EXPECTED_IMAGES:
            logits = model(normalise(test_images[i:i + 1]))[0].numpy()
            lines.append(f"image {i} {int(test_labels[i])}")
            lines.append("pixels " + " ".join(str(int(p)) for p in test_images[i].reshape(-1)))
            lines.append("logits " + " ".join(repr(float(v)) for v in logits))
    write(os.path.join(out_dir, "expected.txt"), "\n".join(lines) + "\n")
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes), labels.txt, expected.txt")


def write(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: /usr/bin/python3 tools/reference/onnx_classifier_fixture.py <output folder>")
    main(sys.argv[1])
