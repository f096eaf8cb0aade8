#!/usr/bin/env python3
"""Writes PyTorch reference results for Kindling's conv, pooling, recurrent and attention layers.

Run with Debian's PyTorch (1.13):
    /usr/bin/python3 tools/reference/nn_conv_rnn_reference.py core/src/test/resources/reference

Outputs (committed; tests read them and never need Python), one tensor per line:
    <case>.<name>=dtype:shape:values
For every case: x* (inputs), p.<param> (parameters, PyTorch state-dict names), y* (outputs),
gy* (fixed upstream gradients), dx* (input gradients), g.<param> (parameter gradients).
The layer configurations are repeated in the Java tests next to the case names.
"""
import math
import os
import sys

import torch
import torch.nn as nn

torch.manual_seed(20240607)
torch.set_default_dtype(torch.float32)
DT = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}


def enc(t):
    t = t.detach().contiguous()
    shape = "x".join(str(s) for s in t.shape)
    vals = []
    for v in t.flatten().tolist():
        if isinstance(v, bool):
            vals.append("1" if v else "0")
        elif isinstance(v, float):
            # 9 significant digits round-trip float32 exactly and keep the fixtures small
            num = repr(v) if t.dtype == torch.float64 else f"{v:.9g}"
            vals.append("nan" if math.isnan(v) else ("inf" if v == math.inf else ("-inf" if v == -math.inf else num)))
        else:
            vals.append(str(v))
    return f"{DT[t.dtype]}:{shape}:{','.join(vals)}"


files = {}


def put(fname, case, name, t):
    files.setdefault(fname, []).append(f"{case}.{name}={enc(t)}")


def run(fname, case, module, inputs, fwd=None, extra=None):
    """inputs: list of tensors (float ones get grads). fwd(module, *inputs) -> tensor or tuple of tensors."""
    xs = [i.clone().requires_grad_(i.dtype == torch.float32) for i in inputs]
    for n, p in module.state_dict().items():
        put(fname, case, "p." + n, p)
    for i, x in enumerate(xs):
        put(fname, case, f"x{i}", x)
    out = fwd(module, *xs) if fwd else module(*xs)
    outs = list(out) if isinstance(out, (tuple, list)) else [out]
    loss = 0
    for i, o in enumerate(outs):
        if o is None:
            continue
        put(fname, case, f"y{i}", o)
        if o.requires_grad:
            g = torch.randn_like(o)
            put(fname, case, f"gy{i}", g)
            loss = loss + (o * g).sum()
    loss.backward()
    for i, x in enumerate(xs):
        if x.requires_grad:
            put(fname, case, f"dx{i}", x.grad)
    for n, p in module.named_parameters():
        put(fname, case, "g." + n, p.grad)


def r(*shape):
    return torch.randn(*shape)


# ---------------------------------------------------------------- convolution
run("nn2_conv.txt", "c2d_basic", nn.Conv2d(3, 4, 3, stride=1, padding=1), [r(2, 3, 6, 5)])
run("nn2_conv.txt", "c2d_groups", nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(2, 1), groups=2),
    [r(2, 4, 9, 7)])
run("nn2_conv.txt", "c2d_same", nn.Conv2d(2, 3, (4, 3), padding="same", dilation=(1, 2), bias=False), [r(1, 2, 7, 6)])
run("nn2_conv.txt", "c1d", nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2), [r(2, 4, 11)])
run("nn2_conv.txt", "c1d_same", nn.Conv1d(3, 2, 4, padding="same", dilation=2), [r(2, 3, 9)])
run("nn2_conv.txt", "ct2d", nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2), [r(2, 4, 5, 4)])
run("nn2_conv.txt", "ct2d_dil", nn.ConvTranspose2d(3, 2, (2, 3), stride=(1, 2), padding=(0, 1), dilation=(2, 1),
                                                   bias=False), [r(1, 3, 4, 5)])

# ---------------------------------------------------------------- pooling
run("nn2_pool.txt", "mp2d", nn.MaxPool2d(3, stride=2, padding=1), [r(2, 3, 7, 8)])
run("nn2_pool.txt", "mp2d_ceil", nn.MaxPool2d(2, stride=2, ceil_mode=True), [r(1, 2, 5, 7)])
run("nn2_pool.txt", "mp2d_dil", nn.MaxPool2d((2, 3), stride=(1, 2), padding=(1, 1), dilation=(2, 1)), [r(1, 2, 6, 7)])
run("nn2_pool.txt", "mp1d", nn.MaxPool1d(3, stride=2, padding=1, ceil_mode=True), [r(2, 3, 10)])
run("nn2_pool.txt", "ap2d", nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), [r(2, 2, 7, 8)])
run("nn2_pool.txt", "ap2d_inc", nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=True), [r(2, 2, 7, 8)])
run("nn2_pool.txt", "ap1d", nn.AvgPool1d(4, stride=3, padding=2, ceil_mode=True), [r(2, 3, 11)])
run("nn2_pool.txt", "aap2d", nn.AdaptiveAvgPool2d((3, 4)), [r(2, 2, 7, 9)])

# ---------------------------------------------------------------- recurrent
run("nn2_rnn.txt", "lstm", nn.LSTM(5, 4, num_layers=2, batch_first=True, bidirectional=True),
    [r(3, 6, 5), r(4, 3, 4), r(4, 3, 4)],
    fwd=lambda m, x, h, c: (lambda o: (o[0], o[1][0], o[1][1]))(m(x, (h, c))))
run("nn2_rnn.txt", "gru", nn.GRU(5, 4, num_layers=2), [r(6, 3, 5), r(2, 3, 4)],
    fwd=lambda m, x, h: m(x, h))
run("nn2_rnn.txt", "rnn_relu", nn.RNN(5, 4, nonlinearity="relu", bidirectional=True, batch_first=True), [r(2, 4, 5)])
run("nn2_rnn.txt", "rnn_tanh", nn.RNN(3, 4, num_layers=2, bias=False), [r(5, 2, 3), r(2, 2, 4)],
    fwd=lambda m, x, h: m(x, h))
run("nn2_rnn.txt", "lstm_cell", nn.LSTMCell(5, 4), [r(3, 5), r(3, 4), r(3, 4)],
    fwd=lambda m, x, h, c: m(x, (h, c)))
run("nn2_rnn.txt", "gru_cell", nn.GRUCell(5, 4), [r(3, 5), r(3, 4)])
run("nn2_rnn.txt", "rnn_cell", nn.RNNCell(5, 4), [r(3, 5), r(3, 4)])

# ---------------------------------------------------------------- attention
kpm = torch.tensor([[False, False, False, True, True], [False, False, False, False, False]])
am = r(4, 5)
put("nn2_attn.txt", "mha", "am", am)
put("nn2_attn.txt", "mha", "kpm", kpm)
run("nn2_attn.txt", "mha", nn.MultiheadAttention(8, 2, batch_first=True), [r(2, 4, 8), r(2, 5, 8), r(2, 5, 8)],
    fwd=lambda m, q, k, v: m(q, k, v, key_padding_mask=kpm, attn_mask=am))
causal = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
bool3 = torch.rand(2 * 2, 4, 4) < 0.3
bool3[:, :, 0] = False
put("nn2_attn.txt", "mha_self", "mask", bool3)
put("nn2_attn.txt", "mha_causal_nobias", "mask", causal)
run("nn2_attn.txt", "mha_self", nn.MultiheadAttention(6, 2), [r(4, 2, 6)],
    fwd=lambda m, x: m(x, x, x, attn_mask=bool3))
run("nn2_attn.txt", "mha_causal_nobias", nn.MultiheadAttention(4, 1, bias=False), [r(4, 3, 4)],
    fwd=lambda m, x: (m(x, x, x, attn_mask=causal, need_weights=False)[0],))
tel = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, activation="gelu", batch_first=True).eval()
put("nn2_attn.txt", "tel", "kpm", kpm)
run("nn2_attn.txt", "tel", tel, [r(2, 5, 8)], fwd=lambda m, x: m(x, src_key_padding_mask=kpm))
tel2 = nn.TransformerEncoderLayer(8, 2, dim_feedforward=12, dropout=0.0, norm_first=True, layer_norm_eps=1e-6).eval()
nf_mask = causal.repeat(2, 2)[:5, :5]
put("nn2_attn.txt", "tel_normfirst", "mask", nf_mask)
run("nn2_attn.txt", "tel_normfirst", tel2, [r(5, 2, 8)], fwd=lambda m, x: m(x, src_mask=nf_mask))
enc_layer = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0, batch_first=True)
encoder = nn.TransformerEncoder(enc_layer, 2, norm=nn.LayerNorm(8), enable_nested_tensor=False).eval()
run("nn2_attn.txt", "tenc", encoder, [r(2, 3, 8)])

out = sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/reference"
os.makedirs(out, exist_ok=True)
for name, lines in files.items():
    with open(os.path.join(out, name), "w") as f:
        f.write("# generated by tools/reference/nn_conv_rnn_reference.py (PyTorch " + torch.__version__ + ")\n")
        f.write("\n".join(lines) + "\n")
    print(name, len(lines))
