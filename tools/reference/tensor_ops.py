#!/usr/bin/env python3
"""Writes PyTorch reference results for Kindling's tensor-op tests.

Run with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 tools/reference/tensor_ops.py core/src/test/resources/reference

Outputs (committed; tests read them and never need Python):
  tensor_ops.txt   one case per line:  name | op | params | inputs... -> outputs...
                   a tensor is dtype:shape:values  (shape as 2x3, empty for 0-dim)
  tensor_str.txt   str(tensor) for printing cases, separated by lines of '----'
"""
import math
import os
import sys

import torch

torch.manual_seed(1234)
DT = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64",
      torch.int32: "int32", torch.bool: "bool"}


def enc(t):
    t = t.contiguous()
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


def case(name, op, params, inputs, outputs):
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    p = ";".join(f"{k}={v}" for k, v in params.items())
    cases.append(f"{name} | {op} | {p} | " + " | ".join(enc(i) for i in inputs) + " -> "
                 + " | ".join(enc(o) for o in outputs))


def r(*shape, dtype=torch.float32):
    return torch.randn(*shape, dtype=dtype)


x = r(3, 4)
pos = torch.rand(3, 4) * 3 + 0.1
special = torch.tensor([-2.5, -1.5, -0.5, -0.0, 0.0, 0.5, 1.5, 2.5, float("nan"), float("inf"), -float("inf"), 30.0])

unary = {
    "neg": torch.neg, "abs": torch.abs, "sign": torch.sign, "exp": torch.exp, "expm1": torch.expm1,
    "sin": torch.sin, "cos": torch.cos, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu,
    "gelu": torch.nn.functional.gelu, "gelu_tanh": lambda t: torch.nn.functional.gelu(t, approximate="tanh"),
    "silu": torch.nn.functional.silu, "softplus": torch.nn.functional.softplus, "floor": torch.floor,
    "ceil": torch.ceil, "round": torch.round, "square": torch.square, "isnan": torch.isnan, "isinf": torch.isinf,
    "logical_not": torch.logical_not,
}
for name, f in unary.items():
    case(f"{name}_randn", name, {}, [x], f(x))
    case(f"{name}_special", name, {}, [special], f(special))
for name, f in {"log": torch.log, "log1p": torch.log1p, "sqrt": torch.sqrt, "rsqrt": torch.rsqrt,
                "reciprocal": torch.reciprocal}.items():
    case(f"{name}_pos", name, {}, [pos], f(pos))
ints = torch.tensor([[-3, -2, 0], [1, 4, 7]])
for name in ["neg", "abs", "sign", "exp", "sqrt", "sigmoid", "relu", "square", "floor"]:
    f = unary.get(name) or {"sqrt": torch.sqrt}[name]
    case(f"{name}_int", name, {}, [ints], f(ints))

binary = {
    "add": torch.add, "sub": torch.sub, "mul": torch.mul, "div": torch.div,
    "floor_divide": torch.floor_divide, "remainder": torch.remainder, "pow": torch.pow,
    "minimum": torch.minimum, "maximum": torch.maximum, "eq": torch.eq, "ne": torch.ne, "lt": torch.lt,
    "le": torch.le, "gt": torch.gt, "ge": torch.ge, "logical_and": torch.logical_and,
    "logical_or": torch.logical_or, "logical_xor": torch.logical_xor,
}
a = r(2, 1, 3)
b = r(4, 1)
ai = torch.tensor([[-7, -3, 0, 5], [9, 2, -1, 8]])
bi = torch.tensor([2, -3, 4, 3])
for name, f in binary.items():
    if name == "pow":
        case("pow_bcast", name, {}, [pos[:, :1], torch.tensor([0.5, 2.0, -1.0])], f(pos[:, :1], torch.tensor([0.5, 2.0, -1.0])))
    else:
        case(f"{name}_bcast", name, {}, [a, b], f(a, b))
    case(f"{name}_int", name, {}, [ai, bi], f(ai, bi))
fi = r(4)
case("add_int_float", "add", {}, [ai, fi], ai + fi)
d64 = r(4, dtype=torch.float64)
f32 = r(2, 4)
case("add_f32_f64", "add", {}, [f32, d64], f32 + d64)
case("add_i32_i64", "add", {}, [ai.to(torch.int32), bi], ai.to(torch.int32) + bi)
case("add_f32_0dim_f64", "add", {}, [f32, torch.tensor(2.5, dtype=torch.float64)], f32 + torch.tensor(2.5, dtype=torch.float64))
case("add_i32_0dim_f64", "add", {}, [ai.to(torch.int32), torch.tensor(2.5, dtype=torch.float64)],
     ai.to(torch.int32) + torch.tensor(2.5, dtype=torch.float64))
case("div_int", "div", {}, [ai, bi], ai / bi)
case("remainder_float_neg", "remainder", {}, [torch.tensor([-3.0, 3.0, -7.5, 7.5]), torch.tensor([2.0, -2.0, 2.0, -2.0])],
     torch.remainder(torch.tensor([-3.0, 3.0, -7.5, 7.5]), torch.tensor([2.0, -2.0, 2.0, -2.0])))

cl = r(3, 4) * 2
case("clamp", "clamp", {"min": -0.5, "max": 0.5}, [cl], cl.clamp(-0.5, 0.5))
cond = torch.tensor([[True, False, True, False]])
wa = r(3, 1)
case("where", "where", {}, [cond, wa, torch.tensor(0.0)], torch.where(cond, wa, torch.tensor(0.0)))

# reductions
t = r(2, 3, 4)
for dims, keep in [((), False), ((1,), False), ((-1,), True), ((0, 2), False)]:
    p = {"dims": ",".join(map(str, dims)), "keepdim": keep}
    sfx = "all" if not dims else "_".join(map(str, dims)).replace("-", "m") + ("_keep" if keep else "")
    kw = {"dim": dims, "keepdim": keep} if dims else {}
    case(f"sum_{sfx}", "sum", p, [t], t.sum(**kw))
    case(f"mean_{sfx}", "mean", p, [t], t.mean(**kw))
    case(f"amax_{sfx}", "amax", p, [t], t.amax(**kw) if dims else t.max())
    case(f"amin_{sfx}", "amin", p, [t], t.amin(**kw) if dims else t.min())
    case(f"logsumexp_{sfx}", "logsumexp", p, [t], torch.logsumexp(t, dim=dims if dims else (0, 1, 2), keepdim=keep))
    case(f"var_{sfx}", "var", {**p, "correction": 1}, [t], t.var(**kw, unbiased=True) if dims else t.var())
    case(f"var0_{sfx}", "var", {**p, "correction": 0}, [t], t.var(**kw, unbiased=False) if dims else t.var(unbiased=False))
    case(f"std_{sfx}", "std", {**p, "correction": 1}, [t], t.std(**kw) if dims else t.std())
    for pn in [1.0, 2.0, 3.0, math.inf]:
        pn_name = "inf" if pn == math.inf else str(int(pn))
        case(f"norm{pn_name}_{sfx}", "norm", {**p, "p": pn_name}, [t],
             torch.linalg.vector_norm(t, ord=pn, dim=dims if dims else None, keepdim=keep))
case("prod_1", "prod", {"dims": "1", "keepdim": False}, [t], t.prod(dim=1))
case("sum_int", "sum", {"dims": "", "keepdim": False}, [ai], ai.sum())
case("sum_bool_1", "sum", {"dims": "1", "keepdim": False}, [ai > 0], (ai > 0).sum(dim=1))
tie = torch.tensor([[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, -1.0, 0.0], [0.0, float("nan"), 9.0, 1.0]])
for dim in [0, 1]:
    v, i = tie.max(dim=dim)
    case(f"max_dim{dim}", "max_dim", {"dim": dim, "keepdim": False}, [tie], [v, i])
    v, i = tie.min(dim=dim, keepdim=True)
    case(f"min_dim{dim}_keep", "min_dim", {"dim": dim, "keepdim": True}, [tie], [v, i])
    case(f"argmax_dim{dim}", "argmax", {"dim": dim}, [tie[:2]], tie[:2].argmax(dim=dim))
    case(f"cumsum_{dim}", "cumsum", {"dim": dim}, [t[0]], t[0].cumsum(dim))
    case(f"cumprod_{dim}", "cumprod", {"dim": dim}, [t[0]], t[0].cumprod(dim))
case("argmax_all", "argmax", {"dim": ""}, [t], t.argmax())
case("cumsum_int", "cumsum", {"dim": 1}, [ai], ai.cumsum(1))
for dim in [0, 1, -1]:
    case(f"softmax_{dim}", "softmax", {"dim": dim}, [t], t.softmax(dim))
    case(f"log_softmax_{dim}", "log_softmax", {"dim": dim}, [t], t.log_softmax(dim))
big = torch.tensor([[1000.0, 1000.0, -1000.0], [-float("inf"), 0.0, 1.0]])
case("softmax_extreme", "softmax", {"dim": -1}, [big], big.softmax(-1))
case("log_softmax_extreme", "log_softmax", {"dim": -1}, [big], big.log_softmax(-1))
bo = torch.tensor([[True, False, True], [True, True, True]])
case("all_1", "all", {"dims": "1", "keepdim": False}, [bo], bo.all(dim=1))
case("any_0", "any", {"dims": "0", "keepdim": False}, [bo.logical_not()], bo.logical_not().any(dim=0))
st = torch.tensor([[3.0, 1.0, 2.0, 1.0, float("nan"), 0.5]])
for desc in [False, True]:
    v, i = torch.sort(st, dim=-1, descending=desc, stable=True)
    case(f"sort_{'desc' if desc else 'asc'}", "sort", {"dim": -1, "descending": desc}, [st], [v, i])
tk = r(3, 7)
for largest in [True, False]:
    v, i = torch.topk(tk, 3, dim=1, largest=largest)
    case(f"topk_{largest}", "topk", {"k": 3, "dim": 1, "largest": largest}, [tk], [v, i])

# linear algebra
for sa, sb in [((4,), (4,)), ((3, 4), (4,)), ((4,), (4, 5)), ((3, 4), (4, 5)), ((2, 3, 4), (4, 5)),
               ((2, 1, 3, 4), (5, 4, 2)), ((4,), (2, 4, 3)), ((2, 3, 4), (4,))]:
    ma, mb = r(*sa), r(*sb)
    case("matmul_" + "x".join(map(str, sa)) + "_" + "x".join(map(str, sb)), "matmul", {}, [ma, mb], ma @ mb)
mi = torch.tensor([[1, 2], [3, 4]])
case("matmul_int", "matmul", {}, [mi, mi], mi @ mi)
inp, m1, m2 = r(5), r(3, 4), r(4, 5)
case("addmm", "addmm", {"beta": 0.5, "alpha": 2.0}, [inp, m1, m2], torch.addmm(inp, m1, m2, beta=0.5, alpha=2.0))
for eq, shapes in [("ij,jk->ik", [(3, 4), (4, 5)]), ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]), ("ii->i", [(4, 4)]),
                   ("ii", [(4, 4)]), ("i,i->", [(5,), (5,)]), ("i,j->ij", [(3,), (4,)]), ("ij->ji", [(3, 4)]),
                   ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]), ("...ij,...jk->...ik", [(2, 3, 4), (4, 2)]),
                   ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]), ("ij->", [(3, 4)]), ("ijk->kj", [(2, 3, 4)])]:
    ops = [r(*s) for s in shapes]
    case("einsum_" + eq.replace(",", "_").replace("->", "_to_").replace("...", "E"), "einsum", {"eq": eq}, ops,
         torch.einsum(eq, *ops))

# layout and joins
m = torch.arange(12.0).reshape(3, 4)
case("flip_0", "flip", {"dims": "0"}, [m], m.flip(0))
case("flip_01", "flip", {"dims": "0,1"}, [m], m.flip(0, 1))
case("roll_1", "roll", {"shifts": "1", "dims": "1"}, [m], m.roll(1, 1))
case("roll_m5_0", "roll", {"shifts": "-5", "dims": "0"}, [m], m.roll(-5, 0))
case("roll_flat", "roll", {"shifts": "2", "dims": ""}, [m], m.roll(2))
case("roll_2d", "roll", {"shifts": "1,-1", "dims": "0,1"}, [m], m.roll((1, -1), (0, 1)))
for k in [-1, 0, 1]:
    case(f"tril_{k}", "tril", {"k": k}, [m], m.tril(k))
    case(f"triu_{k}", "triu", {"k": k}, [m], m.triu(k))
for mode in ["constant", "reflect", "replicate"]:
    for pad, xp in [((1, 2), torch.arange(24.0).reshape(2, 3, 4)), ((2, 1, 1, 2), torch.arange(24.0).reshape(1, 2, 3, 4))]:
        case(f"pad_{mode}_{len(pad)}", "pad", {"pad": ",".join(map(str, pad)), "mode": mode, "value": 0.5}, [xp],
             torch.nn.functional.pad(xp, pad, mode=mode, value=0.5) if mode == "constant" else
             torch.nn.functional.pad(xp, pad, mode=mode))
case("pad_negative", "pad", {"pad": "-1,1", "mode": "constant", "value": 0.0}, [m],
     torch.nn.functional.pad(m, (-1, 1)))
case("repeat", "repeat", {"reps": "2,1,2"}, [m], m.repeat(2, 1, 2))
case("tile_short", "tile", {"reps": "2"}, [m], m.tile((2,)))
case("cat_1", "cat", {"dim": 1}, [m, m[:, :2]], torch.cat([m, m[:, :2]], 1))
case("stack_1", "stack", {"dim": 1}, [m, m * 2], torch.stack([m, m * 2], 1))

# indexing
idx = torch.tensor([[0, 2, 1], [1, 0, 0]])
case("gather_1", "gather", {"dim": 1}, [m[:2], idx], m[:2].gather(1, idx))
case("index_select_1", "index_select", {"dim": 1}, [m, torch.tensor([3, 0, 3])], m.index_select(1, torch.tensor([3, 0, 3])))
src = torch.arange(1.0, 7.0).reshape(2, 3)
case("scatter_0", "scatter", {"dim": 0}, [torch.zeros(3, 5), torch.tensor([[0, 1, 2], [2, 0, 1]]), src],
     torch.zeros(3, 5).scatter(0, torch.tensor([[0, 1, 2], [2, 0, 1]]), src))
case("scatter_add_1", "scatter_add", {"dim": 1}, [torch.ones(2, 4), torch.tensor([[0, 0, 3], [1, 1, 1]]), src],
     torch.ones(2, 4).scatter_add(1, torch.tensor([[0, 0, 3], [1, 1, 1]]), src))
case("masked_select", "masked_select", {}, [m, m.remainder(3) == 0], m.masked_select(m.remainder(3) == 0))
case("masked_fill", "masked_fill", {"value": -1.5}, [m, torch.tensor([True, False, False, True])],
     m.masked_fill(torch.tensor([True, False, False, True]), -1.5))
case("take", "take", {}, [m, torch.tensor([[0, -1], [5, 7]])], m.take(torch.tensor([[0, -1], [5, 7]])))
case("nonzero", "nonzero", {}, [torch.tensor([[0, 1, 0], [2, 0, 3]])], torch.tensor([[0, 1, 0], [2, 0, 3]]).nonzero())
x3 = torch.arange(60.0).reshape(3, 4, 5)
i0 = torch.tensor([0, 2])
i2 = torch.tensor([[1], [4]])
case("index_adjacent", "index", {"pattern": "_,I,I"}, [x3, torch.tensor([1, 3]), torch.tensor([0, 4])],
     x3[:, torch.tensor([1, 3]), torch.tensor([0, 4])])
case("index_separated", "index", {"pattern": "I,_,I"}, [x3, i0, i2], x3[i0, :, i2])
case("index_first", "index", {"pattern": "I"}, [x3, torch.tensor([2, 0, 2])], x3[torch.tensor([2, 0, 2])])
case("index_mask", "index", {"pattern": "M"}, [x3, x3.sum((1, 2)) > 500], x3[x3.sum((1, 2)) > 500])
case("index_mask2", "index", {"pattern": "M"}, [x3, x3[:, :, 0] > 30], x3[x3[:, :, 0] > 30])
ip = torch.zeros(5)
case("index_put_acc", "index_put", {"accumulate": True}, [ip, torch.tensor([0, 2, 0, 4]), torch.tensor([1.0, 2.0, 3.0, 4.0])],
     ip.index_put((torch.tensor([0, 2, 0, 4]),), torch.tensor([1.0, 2.0, 3.0, 4.0]), accumulate=True))

out_dir = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out_dir, exist_ok=True)
with open(os.path.join(out_dir, "tensor_ops.txt"), "w") as f:
    f.write(f"# generated by tools/reference/tensor_ops.py with torch {torch.__version__}; do not edit\n")
    f.write("\n".join(cases) + "\n")

strs = [
    torch.tensor([[1.0, 2.0], [3.0, 4.0]]),
    torch.tensor([[0.1, 0.2], [0.3, 0.4]]),
    torch.tensor([1e-5, 1.0, 1000.0]),
    torch.tensor([1.0, 2.0, 123456789.0]),
    torch.tensor([True, False]),
    torch.tensor(3.5),
    torch.tensor(7),
    torch.tensor([1, -20, 300]),
    torch.tensor([1, 2], dtype=torch.int32),
    torch.tensor([0.5, -1.25], dtype=torch.float64),
    torch.tensor([float("nan"), 1.5, float("inf")]),
    torch.tensor([float("nan"), 1.0, -float("inf")]),
    torch.zeros(0),
    torch.zeros(0, 3),
    torch.zeros(2, 3),
    torch.arange(24.0).reshape(2, 3, 4),
    torch.arange(2000.0).reshape(40, 50),
    torch.arange(30.0) / 7,
    torch.arange(1001),
    torch.arange(3000.0).reshape(10, 10, 30) * 0.5,
]
with open(os.path.join(out_dir, "tensor_str.txt"), "w") as f:
    f.write(f"# generated by tools/reference/tensor_ops.py with torch {torch.__version__}; do not edit\n")
    for s in strs:
        f.write("----\n")
        f.write("code: " + enc(s) + "\n")
        f.write(str(s) + "\n")
print(f"wrote {len(cases)} op cases and {len(strs)} printing cases to {out_dir}")
