#!/usr/bin/env python3
"""Writes PyTorch reference gradients for Kindling's autograd tests.

Run with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 tools/reference/grad_ops.py core/src/test/resources/reference

Output (committed; tests read it and never need Python):
  grad_ops.txt   one case per line:  name | op | params | inputs... | grad_output -> grads...
                 a tensor is dtype:shape:values (shape as 2x3, empty for 0-dim); float64 inputs
                 require grad and get one gradient each, in order; integer and bool inputs are
                 indices / masks. The cases favour PyTorch's choices at kinks and ties.
"""
import math
import os
import sys

import torch

torch.manual_seed(4321)
F64 = torch.float64
DT = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64",
      torch.int32: "int32", torch.bool: "bool"}


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


cases = []


def case(name, op, params, inputs, fn):
    ins = [i.clone().requires_grad_() if i.dtype == F64 else i for i in inputs]
    out = fn(*ins)
    gout = torch.randn(out.shape, dtype=F64)
    out.backward(gout)
    grads = [i.grad if i.grad is not None else torch.zeros_like(i) for i in ins if i.dtype == F64]
    p = ";".join(f"{k}={v}" for k, v in params.items())
    cases.append(f"{name} | {op} | {p} | " + " | ".join(enc(i) for i in inputs) + " | " + enc(gout)
                 + " -> " + " | ".join(enc(g) for g in grads))


def t(*values):
    return torch.tensor(values, dtype=F64)


def r(*shape):
    return torch.randn(*shape, dtype=F64)


def ix(*values):
    return torch.tensor(values, dtype=torch.int64)


def ints(xs):
    return ",".join(str(x) for x in xs)


special = t(-2.5, -1.0, -0.0, 0.0, 0.5, 1.0, 2.5)
F = torch.nn.functional

# ------------------------------------------------------------------ elementwise, kinks
for name, f in {"relu": torch.relu, "abs": torch.abs, "sign": torch.sign, "floor": torch.floor,
                "round": torch.round, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "gelu": F.gelu,
                "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"), "silu": F.silu, "softplus": F.softplus,
                "expm1": torch.expm1, "sin": torch.sin, "cos": torch.cos, "square": torch.square}.items():
    case(f"{name}_special", name, {}, [special], f)
case("softplus_threshold", "softplus", {}, [t(19.0, 20.0, 20.5, 25.0, -30.0)], F.softplus)
pos = torch.rand(2, 3, dtype=F64) * 3 + 0.2
for name, f in {"log": torch.log, "log1p": torch.log1p, "sqrt": torch.sqrt, "rsqrt": torch.rsqrt,
                "reciprocal": torch.reciprocal}.items():
    case(f"{name}_pos", name, {}, [pos], f)
case("clamp_bounds", "clamp", {"min": -1.0, "max": 1.0}, [t(-2.0, -1.0, 0.0, 1.0, 2.0)], lambda x: x.clamp(-1.0, 1.0))
case("clamp_min", "clamp", {"min": 0.0}, [t(-1.0, 0.0, 1.0)], lambda x: x.clamp(min=0.0))
case("clamp_max", "clamp", {"max": 0.5}, [t(-1.0, 0.5, 1.0)], lambda x: x.clamp(max=0.5))
case("maximum_ties", "maximum", {}, [t(1.0, 2.0, 3.0, -1.0), t(1.0, 1.0, 4.0, -1.0)], torch.maximum)
case("minimum_bcast", "minimum", {}, [t(1.0, 2.0, 3.0), torch.tensor([[2.0], [1.0]], dtype=F64)], torch.minimum)
case("pow_zeros", "pow", {}, [t(0.0, 0.0, 2.0, 0.0, 3.0), t(2.0, 0.0, 0.0, 0.5, -1.0)], torch.pow)
case("pow_neg_base", "pow", {}, [t(-2.0, -1.5), t(2.0, 3.0)], torch.pow)
case("pow_bcast", "pow", {}, [pos, t(0.5, 2.0, -1.0)], torch.pow)
case("remainder", "remainder", {}, [t(5.3, -2.2, 7.9), t(2.0, 0.7, -3.0)], torch.remainder)
# floor_divide has no derivative in PyTorch ("not implemented"); Kindling gives zeros (tested in GradientTest).
case("div_bcast", "div", {}, [r(2, 3), t(1.5, -2.0, 0.5)], torch.div)
case("where", "where", {}, [torch.tensor([[True, False, True], [False, False, True]]), r(2, 3), r(3)],
     lambda c, a, b: torch.where(c, a, b))

# ------------------------------------------------------------------ reductions
ties = torch.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 1.0]], dtype=F64)
case("max_all_ties", "max_all", {}, [ties], lambda x: x.max())
case("min_all_ties", "min_all", {}, [ties], lambda x: x.min())
case("amax_ties", "amax", {"dims": "1", "keepdim": False}, [ties], lambda x: x.amax(1))
case("amin_ties_keep", "amin", {"dims": "0", "keepdim": True}, [ties], lambda x: x.amin(0, keepdim=True))
case("max_dim_ties", "max_dim", {"dim": 1, "keepdim": False}, [ties], lambda x: x.max(1).values)
case("min_dim_ties_keep", "min_dim", {"dim": 0, "keepdim": True}, [torch.tensor([[1.0, 3.0], [1.0, 2.0]], dtype=F64)],
     lambda x: x.min(0, keepdim=True).values)
case("prod_one_zero", "prod_all", {}, [t(2.0, 0.0, 3.0)], lambda x: x.prod())
case("prod_two_zeros", "prod_all", {}, [t(0.0, 2.0, 0.0)], lambda x: x.prod())
case("prod_dim_zeros", "prod_dim", {"dim": 1, "keepdim": False},
     [torch.tensor([[2.0, 0.0, 3.0], [1.0, 2.0, 3.0], [0.0, 0.0, 1.0]], dtype=F64)], lambda x: x.prod(1))
case("prod_dim_keep", "prod_dim", {"dim": 0, "keepdim": True}, [r(3, 2)], lambda x: x.prod(0, keepdim=True))
case("cumprod_zeros", "cumprod", {"dim": 0}, [t(2.0, 0.0, 3.0, 0.0, 5.0)], lambda x: x.cumprod(0))
case("cumprod_rand", "cumprod", {"dim": 1}, [r(2, 4)], lambda x: x.cumprod(1))
case("cumsum", "cumsum", {"dim": -1}, [r(2, 3)], lambda x: x.cumsum(-1))
case("mean_dims", "mean", {"dims": "0,2", "keepdim": True}, [r(2, 2, 3)], lambda x: x.mean((0, 2), keepdim=True))
case("norm2_zero", "norm", {"p": 2.0}, [t(0.0, 0.0, 0.0)], lambda x: x.norm())
case("norm2_rows_zero", "norm", {"p": 2.0, "dims": "1", "keepdim": False},
     [torch.tensor([[0.0, 0.0], [3.0, 4.0]], dtype=F64)], lambda x: x.norm(2, dim=1))
case("norm1_zeros", "norm", {"p": 1.0}, [t(0.0, -2.0, 3.0)], lambda x: x.norm(1))
case("norm3", "norm", {"p": 3.0, "dims": "0", "keepdim": True}, [r(3, 2)], lambda x: x.norm(3, dim=0, keepdim=True))
case("norm1_5", "norm", {"p": 1.5}, [r(4)], lambda x: x.norm(1.5))
case("norm_inf_ties", "norm", {"p": "inf"}, [t(1.0, -3.0, 3.0)], lambda x: x.norm(float("inf")))
case("norm_ninf", "norm", {"p": "-inf"}, [t(1.0, -0.5, 3.0)], lambda x: x.norm(float("-inf")))
case("var_corr", "var", {"dims": "1", "correction": 0, "keepdim": False}, [r(2, 4)],
     lambda x: x.var(1, unbiased=False))
case("std_all", "std", {"correction": 1}, [r(2, 3)], lambda x: x.std())
case("std_const", "std", {"correction": 1}, [t(1.0, 1.0, 1.0)], lambda x: x.std())
case("logsumexp", "logsumexp", {"dims": "1", "keepdim": False}, [r(2, 3)], lambda x: x.logsumexp(1))
case("softmax", "softmax", {"dim": 1}, [r(2, 3)], lambda x: x.softmax(1))
case("log_softmax", "log_softmax", {"dim": 0}, [r(3, 2)], lambda x: x.log_softmax(0))
case("sort_desc", "sort_values", {"dim": 1, "descending": True}, [r(2, 4)], lambda x: x.sort(1, descending=True).values)
case("topk", "topk_values", {"k": 2, "dim": -1, "largest": True}, [r(2, 4)], lambda x: x.topk(2, -1).values)

# ------------------------------------------------------------------ views, indexing, joins
case("unfold_overlap", "unfold", {"dim": 1, "size": 3, "step": 1}, [r(2, 5)], lambda x: x.unfold(1, 3, 1))
case("slice_step", "slice", {"dim": 1, "start": 0, "end": 5, "step": 2}, [r(2, 5)], lambda x: x[:, 0:5:2])
case("index_select_rep", "index_select", {"dim": 0}, [r(3, 2), ix(2, 0, 2)], lambda x, i: x.index_select(0, i))
case("gather", "gather", {"dim": 1}, [r(2, 3), ix(0, 2, 2, 1, 1, 0).view(2, 3)], lambda x, i: x.gather(1, i))
case("scatter", "scatter", {"dim": 1}, [r(2, 3), ix(2, 0, 1, 0).view(2, 2), r(2, 2)],
     lambda x, i, s: x.scatter(1, i, s))
case("scatter_add", "scatter_add", {"dim": 0}, [r(3), ix(0, 0, 2, 0), r(4)], lambda x, i, s: x.scatter_add(0, i, s))
case("masked_select", "masked_select", {}, [r(3), torch.tensor([[True, False, True], [True, True, False]])],
     lambda x, m: x.masked_select(m))
case("masked_fill", "masked_fill", {"value": 2.5}, [r(2, 3), torch.tensor([True, False, True])],
     lambda x, m: x.masked_fill(m, 2.5))
case("index_rep", "index", {}, [r(3, 2), ix(0, 0, -1)], lambda x, i: x[i])
case("index_put", "index_put", {"accumulate": False}, [r(4), ix(1, 3), r(2)],
     lambda x, i, v: x.index_put((i,), v, accumulate=False))
case("index_put_acc", "index_put", {"accumulate": True}, [r(3, 2), ix(1, 1, 0), r(2)],
     lambda x, i, v: x.index_put((i,), v, accumulate=True))
case("take", "take", {}, [r(2, 3), ix(0, 5, -1, 5).view(2, 2)], lambda x, i: x.take(torch.where(i < 0, i + 6, i)))
case("pad_reflect", "pad", {"pad": "2,1", "mode": "reflect", "value": 0.0}, [r(2, 4)],
     lambda x: F.pad(x, (2, 1), mode="reflect"))
case("pad_replicate", "pad", {"pad": "1,2,1,0", "mode": "replicate", "value": 0.0}, [r(1, 2, 3)],
     lambda x: F.pad(x, (1, 2, 1, 0), mode="replicate"))
case("pad_circular", "pad", {"pad": "1,2", "mode": "circular", "value": 0.0}, [r(1, 1, 3)],
     lambda x: F.pad(x, (1, 2), mode="circular"))
case("pad_constant", "pad", {"pad": "1,-1,0,2", "mode": "constant", "value": 1.5}, [r(2, 3)],
     lambda x: F.pad(x, (1, -1, 0, 2), value=1.5))
case("repeat", "repeat", {"reps": "2,1,2"}, [r(2, 2)], lambda x: x.repeat(2, 1, 2))
case("roll", "roll", {"shifts": "1,-2", "dims": "0,1"}, [r(2, 3)], lambda x: x.roll((1, -2), (0, 1)))
case("flip", "flip", {"dims": "0,1"}, [r(2, 3)], lambda x: x.flip(0, 1))
case("tril", "tril", {"k": -1}, [r(3, 3)], lambda x: x.tril(-1))
case("triu", "triu", {"k": 1}, [r(2, 3, 3)], lambda x: x.triu(1))
case("cat", "cat", {"dim": 1}, [r(2, 1), r(2, 3)], lambda a, b: torch.cat([a, b], 1))
case("stack", "stack", {"dim": -1}, [r(3), r(3)], lambda a, b: torch.stack([a, b], -1))

# ------------------------------------------------------------------ linear algebra
case("addmm", "addmm", {"beta": 0.5, "alpha": -2.0}, [r(3), r(2, 4), r(4, 3)],
     lambda i, a, b: torch.addmm(i, a, b, beta=0.5, alpha=-2.0))
case("mv", "mv", {}, [r(2, 3), r(3)], torch.mv)
case("outer", "outer", {}, [r(3), r(2)], torch.outer)
case("bmm", "bmm", {}, [r(2, 2, 3), r(2, 3, 2)], torch.bmm)
case("einsum_trace", "einsum", {"eq": "ii->"}, [r(3, 3)], lambda a: torch.einsum("ii->", a))
case("einsum_diag", "einsum", {"eq": "ii->i"}, [r(3, 3)], lambda a: torch.einsum("ii->i", a))
case("einsum_batch", "einsum", {"eq": "bij,bjk->bik"}, [r(2, 2, 3), r(2, 3, 2)],
     lambda a, b: torch.einsum("bij,bjk->bik", a, b))
case("einsum_ellipsis", "einsum", {"eq": "...ij,...jk"}, [r(2, 2, 3), r(3, 2)],
     lambda a, b: torch.einsum("...ij,...jk", a, b))
case("einsum_bcast1", "einsum", {"eq": "ij,kj->ikj"}, [r(2, 3), r(1, 3)], lambda a, b: torch.einsum("ij,kj->ikj", a, b))

out_dir = sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/reference"
os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "grad_ops.txt"), "w") as f:
    f.write(f"# generated by tools/reference/grad_ops.py with torch {torch.__version__}; do not edit\n")
    for c in cases:
        f.write(c + "\n")
print(f"wrote {len(cases)} cases")
