#!/usr/bin/env python3
"""Safetensors interop fixtures for Kindling's org.kindling.io tests.

There is no Python `safetensors` package on these machines (no Debian package either), so this
script implements the published format (https://github.com/huggingface/safetensors, "Format")
on its own, with the standard library and numpy, independently of Kindling's Java code:

    8 bytes   N, unsigned little-endian 64-bit: the size of the header
    N bytes   JSON object, UTF-8: {"__metadata__": {str: str}?,
                                   NAME: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, ...}
              padded with spaces (0x20) so that N is a multiple of 8
    rest      the tensors, little-endian, row-major, each at [begin, end) of this section,
              together covering it exactly (no gap, no overlap, nothing after)

Write the committed fixture (needs numpy and Debian's python3-torch for the values):
    /usr/bin/python3 tools/reference/safetensors_fixture.py write core/src/test/resources/io

  reference.safetensors  tensors of every dtype Kindling reads (F32, F64, I64, I32, BOOL, F16, BF16),
                         a 0-dim and an empty tensor, special floats, a non-ASCII name, metadata
  reference.txt          the expected content, one line per entry, in header order:
                           tensor | NAME | FILE_DTYPE | kindling_dtype:shape:values
                           meta | KEY | VALUE
                         NAME, KEY and VALUE are percent-encoded UTF-8; shape is 2x3 (empty for
                         0-dim); values are comma-separated, floats as Python repr of the exact value
                         after Kindling's conversion (F16/BF16 become float32), bools as 0/1

Check a file written by Kindling with this script's own strict reader (tests never need Python;
this direction is checked by hand, and in Java by a byte-level test of the header layout):
    mvn -q -o -pl core test -Dtest=SafetensorsReferenceTest
    /usr/bin/python3 tools/reference/safetensors_fixture.py check \\
        core/target/safetensors-interop/kindling.safetensors core/target/safetensors-interop/kindling.txt
"""
import json
import math
import os
import struct
import sys
import urllib.parse

import numpy as np

# dtype name -> (numpy little-endian dtype, Kindling dtype after loading)
DTYPES = {
    "F64": ("<f8", "float64"),
    "F32": ("<f4", "float32"),
    "F16": ("<f2", "float32"),
    "BF16": ("<u2", "float32"),   # raw bits; converted by bf16_to_f32
    "I64": ("<i8", "int64"),
    "I32": ("<i4", "int32"),
    "BOOL": ("u1", "bool"),
}
SIZES = {"F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "BOOL": 1}


def bf16_to_f32(bits):
    return (bits.astype(np.uint32) << 16).view(np.float32)


# ---------------------------------------------------------------- writer

def write_safetensors(path, tensors, metadata=None):
    """tensors: list of (name, dtype, shape, raw little-endian bytes), written in that order."""
    header = {}
    if metadata:
        header["__metadata__"] = dict(metadata)
    offset = 0
    blobs = []
    for name, dtype, shape, raw in tensors:
        numel = math.prod(shape)
        assert len(raw) == numel * SIZES[dtype], (name, len(raw))
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


# ---------------------------------------------------------------- reader

def _no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError(f"duplicate key {k!r}")
        d[k] = v
    return d


def read_safetensors(path):
    """Strict reader. Returns (list of (name, dtype, shape, numpy array as loaded by Kindling), metadata)."""
    data = open(path, "rb").read()
    if len(data) < 8:
        raise ValueError("file too short")
    (n,) = struct.unpack("<Q", data[:8])
    if n % 8 != 0:
        raise ValueError(f"header length {n} is not a multiple of 8")
    if 8 + n > len(data):
        raise ValueError("header longer than file")
    raw_header = data[8:8 + n]
    if raw_header[:1] != b"{":
        raise ValueError("header does not start with '{'")
    header = json.loads(raw_header.decode("utf-8"), object_pairs_hook=_no_duplicates)
    body = data[8 + n:]
    metadata = header.pop("__metadata__", None) or {}
    for k, v in metadata.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise ValueError("metadata must map strings to strings")
    entries = []
    for name, info in header.items():
        if set(info) != {"dtype", "shape", "data_offsets"}:
            raise ValueError(f"{name}: fields {sorted(info)}")
        dtype, shape, (begin, end) = info["dtype"], info["shape"], info["data_offsets"]
        if dtype not in SIZES:
            raise ValueError(f"{name}: dtype {dtype}")
        if any((not isinstance(d, int)) or d < 0 for d in shape):
            raise ValueError(f"{name}: shape {shape}")
        if end - begin != math.prod(shape) * SIZES[dtype]:
            raise ValueError(f"{name}: offsets {begin, end} vs shape {shape} {dtype}")
        entries.append((name, dtype, shape, begin, end))
    expected = 0
    for name, dtype, shape, begin, end in sorted(entries, key=lambda e: (e[3], e[4])):
        if begin != expected:
            raise ValueError(f"{name}: begins at {begin}, expected {expected} (gap or overlap)")
        expected = end
    if expected != len(body):
        raise ValueError(f"data section has {len(body)} bytes, tensors cover {expected}")
    out = []
    for name, dtype, shape, begin, end in entries:
        arr = np.frombuffer(body[begin:end], dtype=DTYPES[dtype][0])
        if dtype == "BF16":
            arr = bf16_to_f32(arr)
        elif dtype == "F16":
            arr = arr.astype(np.float32)
        elif dtype == "BOOL":
            if np.any(arr > 1):
                raise ValueError(f"{name}: bool bytes other than 0/1")
            arr = arr.astype(bool)
        out.append((name, dtype, list(shape), arr.reshape(shape)))
    return out, metadata


# ---------------------------------------------------------------- sidecar text

def enc_values(arr):
    vals = []
    for v in arr.reshape(-1).tolist():
        if isinstance(v, bool):
            vals.append("1" if v else "0")
        elif isinstance(v, float):
            vals.append("nan" if math.isnan(v) else ("inf" if v == math.inf else ("-inf" if v == -math.inf else repr(v))))
        else:
            vals.append(str(v))
    return ",".join(vals)


def sidecar_lines(entries, metadata):
    q = lambda s: urllib.parse.quote(s, safe="")
    lines = [f"meta | {q(k)} | {q(v)}" for k, v in metadata.items()]
    for name, dtype, shape, arr in entries:
        kdt = DTYPES[dtype][1]
        lines.append(f"tensor | {q(name)} | {dtype} | {kdt}:{'x'.join(str(s) for s in shape)}:{enc_values(arr)}")
    return lines


def parse_sidecar(path):
    meta, tensors = {}, []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(" | ")]
        uq = urllib.parse.unquote
        if parts[0] == "meta":
            meta[uq(parts[1])] = uq(parts[2])
        else:
            tensors.append((uq(parts[1]), parts[2], parts[3]))
    return tensors, meta


# ---------------------------------------------------------------- commands

def write_fixture(out_dir):
    import torch
    torch.manual_seed(20240611)
    le = lambda t, np_dtype: np.ascontiguousarray(t.numpy()).astype(np_dtype).tobytes()
    w = torch.randn(2, 3)
    b = torch.randn(3)
    special = torch.tensor([0.0, -0.0, math.inf, -math.inf, math.nan, 1e-45, 3.4028234663852886e38, 1 / 3],
                           dtype=torch.float32)
    f64 = torch.tensor([[1 / 3, -2.5], [1e-300, 2.0 ** 60 + 1]], dtype=torch.float64)
    i64 = torch.tensor([0, -(2 ** 63), 2 ** 63 - 1, 2 ** 62 + 1, -7], dtype=torch.int64)
    i32 = torch.tensor([[[-(2 ** 31), 2 ** 31 - 1]], [[0, -5]]], dtype=torch.int32)
    mask = torch.tensor([True, False, True, True])
    scalar = torch.tensor(3.5)
    empty = torch.zeros(0, 3)
    half = np.array([0.1, 65504.0, 2.0 ** -24, -0.0, -2.5, math.inf], dtype="<f2")
    bf16_vals = torch.tensor([1.0, -3.140625, 1e-20, 3.3895313892515355e38], dtype=torch.bfloat16)
    bf16_bits = bf16_vals.view(torch.int16).numpy().astype("<i2").tobytes()
    ids = torch.tensor(42, dtype=torch.int32)

    tensors = [
        ("features.0.weight", "F32", [2, 3], le(w, "<f4")),
        ("features.0.bias", "F32", [3], le(b, "<f4")),
        ("special", "F32", [8], le(special, "<f4")),
        ("double", "F64", [2, 2], le(f64, "<f8")),
        ("ids.i64", "I64", [5], le(i64, "<i8")),
        ("count.i32", "I32", [2, 1, 2], le(i32, "<i4")),
        ("mask", "BOOL", [4], le(mask, "u1")),
        ("scalar", "F32", [], le(scalar, "<f4")),
        ("empty", "F32", [0, 3], b""),
        ("half", "F16", [2, 3], half.tobytes()),
        ("bf16", "BF16", [4], bf16_bits),
        ("emb.ünï", "I32", [], le(ids, "<i4")),
    ]
    metadata = {"format": "pt", "note": 'unicode \u2713, "quotes", back\\slash, tab\t|pipe'}
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, "reference.safetensors")
    write_safetensors(path, tensors, metadata)
    entries, meta = read_safetensors(path)   # the expected values come from reading the file back
    assert meta == metadata
    with open(os.path.join(out_dir, "reference.txt"), "w", encoding="utf-8") as f:
        f.write("# written by tools/reference/safetensors_fixture.py; see its docstring for the format\n")
        f.write("\n".join(sidecar_lines(entries, meta)) + "\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {len(entries)} tensors)")


NP_KINDLING = {"float32": np.float32, "float64": np.float64, "int64": np.int64, "int32": np.int32, "bool": np.bool_}


def decode_spec(spec):
    """'float32:2x3:1.0,2.5,...' -> numpy array (floats parsed with float(): Python or Java spelling)."""
    kdt, shape, values = spec.split(":", 2)
    shape = [int(d) for d in shape.split("x")] if shape else []
    vals = values.split(",") if values else []
    if kdt in ("float32", "float64"):
        arr = np.array([float(v) for v in vals], dtype=NP_KINDLING[kdt])
    else:
        arr = np.array([int(v) for v in vals], dtype=NP_KINDLING[kdt])
    return kdt, arr.reshape(shape)


def check(path, sidecar):
    entries, meta = read_safetensors(path)
    want_tensors, want_meta = parse_sidecar(sidecar)
    errors = []
    if meta != want_meta:
        errors.append(f"metadata {meta!r} != {want_meta!r}")
    if [e[0] for e in entries] != [t[0] for t in want_tensors]:
        errors.append(f"names/order {[e[0] for e in entries]} != {[t[0] for t in want_tensors]}")
    for (name, dtype, shape, arr), (_, want_dtype, spec) in zip(entries, want_tensors):
        kdt, want = decode_spec(spec)
        got = arr.astype(NP_KINDLING[kdt])
        if dtype != want_dtype or got.shape != want.shape or got.tobytes() != want.tobytes():
            errors.append(f"{name}: file has {dtype} {list(got.shape)} {enc_values(got)}, "
                          f"expected {want_dtype} {list(want.shape)} {enc_values(want)}")
    (n,) = struct.unpack("<Q", open(path, "rb").read(8))
    if errors:
        print("MISMATCH\n  " + "\n  ".join(errors))
        sys.exit(1)
    print(f"OK {path}: {len(entries)} tensors, {len(meta)} metadata entries, header {n} bytes")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "write":
        write_fixture(sys.argv[2])
    elif len(sys.argv) == 4 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3])
    else:
        print(__doc__)
        sys.exit(2)
