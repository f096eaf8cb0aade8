#!/usr/bin/env python3
"""Writes PyTorch reference results for Kindling's nn tests (layers, losses, printing).

Run with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 tools/reference/nn_reference.py core/src/test/resources/reference

Outputs (committed; tests read them and never need Python):
  nn_layers.txt  one case per line:  name | key=tensor | key=tensor ...
                 in (in1, in2): input; state.<k>: the module's state_dict, loaded into Kindling's
                 module; gout: upstream gradient; out: output; grad.in / grad.<param>: gradients;
                 after.<buffer>: buffers after the forward pass (batch norm).
  nn_losses.txt  same format: in, target, arg.<ctor tensor>, gout (reduction none), out, grad.in
  nn_repr.txt    str() of modules, blocks separated by lines of '----'
A tensor is dtype:shape:values (shape as 2x3, empty for 0-dim), as in tensor_ops.py.
"""
import math
import os
import sys

import torch
import torch.nn as nn

torch.manual_seed(4321)
DT = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64", torch.bool: "bool"}


def enc(t):
    t = t.detach().contiguous()
    shape = "x".join(str(s) for s in t.shape)
    vals = []
    for v in t.flatten().tolist():
        if isinstance(v, bool):
            vals.append("1" if v else "0")
        elif isinstance(v, float):
            vals.append("nan" if math.isnan(v) else ("inf" if v == math.inf else ("-inf" if v == -math.inf else repr(v))))
        else:
            vals.append(str(v))
    return f"{DT[t.dtype]}:{shape}:{','.join(vals)}"


def line(name, items):
    return name + " | " + " | ".join(f"{k}={enc(v)}" for k, v in items)


layers = []


def randomize(m):
    """Non-trivial parameters and buffers so that every gradient and statistic is exercised."""
    with torch.no_grad():
        for k, v in m.state_dict().items():
            if v.dtype == torch.float32:
                if k.endswith("running_var"):
                    v.copy_(torch.rand_like(v) + 0.5)
                elif "norm" in type(m).__name__.lower() and k.endswith("weight"):
                    v.copy_(torch.rand_like(v) + 0.5)
                else:
                    v.copy_(torch.randn_like(v) * 0.5)


def layer(name, m, *inputs, randomize_state=True, eval_mode=False):
    if randomize_state:
        randomize(m)
    if eval_mode:
        m.eval()
    items = []
    ins = []
    for i, x in enumerate(inputs):
        key = "in" if len(inputs) == 1 else f"in{i + 1}"
        if x.is_floating_point():
            x = x.clone().requires_grad_(True)
        ins.append((key, x))
        items.append((key, x))
    for k, v in m.state_dict().items():
        items.append(("state." + k, v.clone()))
    out = m(*[x for _, x in ins])
    gout = torch.randn_like(out)
    out.backward(gout)
    items += [("gout", gout), ("out", out)]
    for key, x in ins:
        if x.requires_grad:
            items.append(("grad." + key, x.grad))
    for k, p in m.named_parameters():
        items.append(("grad." + k, p.grad))
    for k, b in m.named_buffers():
        items.append(("after." + k, b))
    layers.append(line(name, items))


x46 = torch.randn(4, 6) * 2
layer("linear", nn.Linear(5, 3), torch.randn(4, 5))
layer("linear_nobias", nn.Linear(5, 3, bias=False), torch.randn(4, 5))
layer("linear_3d", nn.Linear(5, 3), torch.randn(2, 3, 5))
layer("bilinear", nn.Bilinear(4, 3, 2), torch.randn(5, 4), torch.randn(5, 3))
layer("flatten", nn.Flatten(), torch.randn(2, 3, 2, 2))
layer("flatten_0_1", nn.Flatten(0, 1), torch.randn(2, 3, 2))
layer("unflatten", nn.Unflatten(1, (2, 5)), torch.randn(3, 10))
emb = nn.Embedding(10, 3, padding_idx=0)
layer("embedding_pad", emb, torch.tensor([[1, 0, 3, 3], [9, 0, 1, 5]]))
layer("embedding", nn.Embedding(6, 4), torch.tensor([0, 5, 2, 2, 1]))
layer("batchnorm1d", nn.BatchNorm1d(4), torch.randn(6, 4) * 2 + 1)
layer("batchnorm1d_3d", nn.BatchNorm1d(3), torch.randn(4, 3, 5))
layer("batchnorm2d", nn.BatchNorm2d(2), torch.randn(3, 2, 4, 4) + 0.5)
layer("batchnorm2d_eval", nn.BatchNorm2d(2), torch.randn(3, 2, 4, 4), eval_mode=True)
layer("batchnorm1d_noaffine", nn.BatchNorm1d(4, affine=False, momentum=None), torch.randn(5, 4))
layer("layernorm", nn.LayerNorm(5), torch.randn(3, 4, 5))
layer("layernorm_2d", nn.LayerNorm((4, 5)), torch.randn(3, 4, 5))
layer("groupnorm", nn.GroupNorm(2, 4), torch.randn(3, 4, 3, 3))
layer("relu", nn.ReLU(), x46)
layer("leaky_relu", nn.LeakyReLU(0.2), x46)
layer("elu", nn.ELU(1.5), x46)
layer("gelu", nn.GELU(), x46)
layer("gelu_tanh", nn.GELU(approximate="tanh"), x46)
layer("silu", nn.SiLU(), x46)
layer("sigmoid", nn.Sigmoid(), x46)
layer("tanh", nn.Tanh(), x46)
layer("softmax", nn.Softmax(dim=1), x46)
layer("softmax_0", nn.Softmax(dim=0), x46)
layer("log_softmax", nn.LogSoftmax(dim=1), x46)
layer("softplus", nn.Softplus(), x46)
layer("softplus_beta", nn.Softplus(beta=2, threshold=3), x46)
layer("hardtanh", nn.Hardtanh(-0.5, 1.5), x46)

# BatchNorm with a cumulative average over three steps, then eval.
bn = nn.BatchNorm1d(3, momentum=None)
randomize(bn)
items = [("state." + k, v.clone()) for k, v in bn.state_dict().items()]
for i in range(3):
    x = torch.randn(4, 3) * (i + 1) + i
    items.append((f"step{i}", x))
    bn(x)
for k, b in bn.named_buffers():
    items.append(("after." + k, b.clone()))
bn.eval()
xe = torch.randn(2, 3)
items += [("eval_in", xe), ("eval_out", bn(xe))]
layers.append(line("batchnorm1d_cumulative", items))

losses = []


def loss(name, m, inp, target, **args):
    inp = inp.clone().requires_grad_(True)
    out = m(inp, target)
    items = [("in", inp), ("target", target)] + [("arg." + k, v) for k, v in args.items()]
    if out.dim() > 0:
        gout = torch.randn_like(out)
        out.backward(gout)
        items.append(("gout", gout))
    else:
        out.backward()
    items += [("out", out), ("grad.in", inp.grad)]
    losses.append(line(name, items))


p, t = torch.randn(3, 4), torch.randn(3, 4)
loss("mse", nn.MSELoss(), p, t)
loss("mse_sum", nn.MSELoss(reduction="sum"), p, t)
loss("mse_none", nn.MSELoss(reduction="none"), p, t)
loss("l1", nn.L1Loss(), p, t)
loss("l1_none", nn.L1Loss(reduction="none"), p, t)
loss("smooth_l1", nn.SmoothL1Loss(), p * 2, t)
loss("smooth_l1_beta", nn.SmoothL1Loss(beta=0.5, reduction="sum"), p, t)
loss("huber", nn.HuberLoss(), p * 2, t)
loss("huber_delta", nn.HuberLoss(delta=0.7, reduction="none"), p, t)

logits = torch.randn(6, 5) * 2
labels = torch.tensor([0, 4, 2, 2, 1, 3])
labels_ign = torch.tensor([0, -100, 2, 2, -100, 3])
w5 = torch.rand(5) + 0.5
loss("ce", nn.CrossEntropyLoss(), logits, labels)
loss("ce_sum", nn.CrossEntropyLoss(reduction="sum"), logits, labels)
loss("ce_none", nn.CrossEntropyLoss(reduction="none"), logits, labels)
loss("ce_weight", nn.CrossEntropyLoss(weight=w5), logits, labels, weight=w5)
loss("ce_ignore", nn.CrossEntropyLoss(), logits, labels_ign)
loss("ce_weight_ignore_none", nn.CrossEntropyLoss(weight=w5, reduction="none"), logits, labels_ign, weight=w5)
loss("ce_ignore_custom", nn.CrossEntropyLoss(ignore_index=2), logits, labels)
loss("ce_smooth", nn.CrossEntropyLoss(label_smoothing=0.1), logits, labels)
loss("ce_smooth_ignore", nn.CrossEntropyLoss(label_smoothing=0.2), logits, labels_ign)
loss("ce_smooth_weight_ignore", nn.CrossEntropyLoss(weight=w5, label_smoothing=0.2), logits, labels_ign, weight=w5)
loss("ce_smooth_weight_sum", nn.CrossEntropyLoss(weight=w5, label_smoothing=0.3, reduction="sum"), logits, labels_ign,
     weight=w5)
loss("ce_smooth_none", nn.CrossEntropyLoss(label_smoothing=0.3, reduction="none"), logits, labels_ign)
loss("ce_4d", nn.CrossEntropyLoss(), torch.randn(2, 3, 2, 2), torch.tensor([[[0, 1], [2, 1]], [[2, 2], [0, 1]]]))
loss("ce_4d_none", nn.CrossEntropyLoss(reduction="none"), torch.randn(2, 3, 2, 2),
     torch.tensor([[[0, 1], [2, 1]], [[2, 2], [0, 1]]]))
loss("ce_1d", nn.CrossEntropyLoss(), torch.randn(5), torch.tensor(3))
probs = torch.softmax(torch.randn(6, 5), 1)
loss("ce_prob", nn.CrossEntropyLoss(), logits, probs)
loss("ce_prob_smooth_weight", nn.CrossEntropyLoss(weight=w5, label_smoothing=0.1), logits, probs, weight=w5)
loss("ce_prob_none", nn.CrossEntropyLoss(reduction="none"), logits, probs)
logp = torch.log_softmax(logits, 1)
loss("nll", nn.NLLLoss(), logp, labels)
loss("nll_weight_ignore", nn.NLLLoss(weight=w5), logp, labels_ign, weight=w5)
loss("nll_none", nn.NLLLoss(reduction="none"), logp, labels_ign)
pr = torch.rand(3, 4) * 0.9 + 0.05
tb = (torch.rand(3, 4) > 0.5).float()
w4 = torch.rand(4) + 0.5
loss("bce", nn.BCELoss(), pr, tb)
loss("bce_soft_target", nn.BCELoss(), pr, torch.rand(3, 4))
loss("bce_weight_sum", nn.BCELoss(weight=w4, reduction="sum"), pr, tb, weight=w4)
loss("bce_logits", nn.BCEWithLogitsLoss(), p * 3, tb)
loss("bce_logits_pos_weight", nn.BCEWithLogitsLoss(weight=w4, pos_weight=torch.tensor([1.0, 2.0, 0.5, 3.0])), p * 3, tb,
     weight=w4, pos_weight=torch.tensor([1.0, 2.0, 0.5, 3.0]))
loss("bce_logits_none", nn.BCEWithLogitsLoss(reduction="none"), p * 30, tb)
tq = torch.softmax(torch.randn(3, 4), 1)
tq[0, 1] = 0.0
inp = torch.log_softmax(torch.randn(3, 4), 1)
loss("kl", nn.KLDivLoss(), inp, tq)
loss("kl_batchmean", nn.KLDivLoss(reduction="batchmean"), inp, tq)
loss("kl_sum", nn.KLDivLoss(reduction="sum"), inp, tq)
loss("kl_log_target", nn.KLDivLoss(reduction="batchmean", log_target=True), inp, torch.log_softmax(torch.randn(3, 4), 1))
loss("kl_none", nn.KLDivLoss(reduction="none"), inp, tq)

# Printing
reprs = []
seq = nn.Sequential(nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10),
                    nn.LogSoftmax(dim=1))
reprs.append(str(seq))
reprs.append("\n".join(seq.state_dict().keys()))
nested = nn.Sequential(nn.Flatten(), nn.Sequential(nn.Linear(4, 4, bias=False), nn.GELU(approximate="tanh")),
                       nn.LayerNorm(4), nn.Unflatten(1, (2, 2)))
reprs.append(str(nested))
for m in [nn.Bilinear(2, 3, 4), nn.Identity(), nn.Embedding(10, 3), nn.Embedding(10, 3, padding_idx=0),
          nn.BatchNorm2d(16, eps=1e-3, momentum=None, affine=False, track_running_stats=False),
          nn.LayerNorm((4, 5), elementwise_affine=False), nn.GroupNorm(3, 6), nn.LeakyReLU(), nn.ELU(),
          nn.SiLU(), nn.Sigmoid(), nn.Tanh(), nn.Softmax(dim=-1), nn.Softplus(), nn.Softplus(beta=0.5, threshold=10),
          nn.Hardtanh(), nn.Dropout(), nn.MSELoss(), nn.CrossEntropyLoss(), nn.BCEWithLogitsLoss(), nn.KLDivLoss()]:
    reprs.append(str(m))

out_dir = sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/reference"
os.makedirs(out_dir, exist_ok=True)
hdr = f"# generated by tools/reference/nn_reference.py with torch {torch.__version__}\n"
with open(os.path.join(out_dir, "nn_layers.txt"), "w") as f:
    f.write(hdr + "\n".join(layers) + "\n")
with open(os.path.join(out_dir, "nn_losses.txt"), "w") as f:
    f.write(hdr + "\n".join(losses) + "\n")
with open(os.path.join(out_dir, "nn_repr.txt"), "w") as f:
    f.write("\n----\n".join(reprs) + "\n")
print(len(layers), "layer cases,", len(losses), "loss cases,", len(reprs), "repr blocks")
