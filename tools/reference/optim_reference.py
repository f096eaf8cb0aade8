#!/usr/bin/env python3
"""Writes PyTorch reference results for Kindling's optimizer, scheduler and grad-clipping tests.

Run with Debian's PyTorch (apt-get install python3-torch):
    /usr/bin/python3 tools/reference/optim_reference.py core/src/test/resources/reference

Outputs (committed; tests read them and never need Python). Fields are separated by ' | ';
a tensor is dtype:shape:values (shape as 2x3, empty for 0-dim), as in tensor_ops.py.

  optim_optimizers.txt  one block per optimizer configuration:
        case | name | Optimizer | defaults            defaults as key=value;key=value
        group | 0,1 | overrides                       param indices of the group and its own options
        init | i | tensor                              initial value of parameter i
        step | t                                       then, for every parameter i:
        grad | i | tensor-or-none                      the gradient set before optimizer.step()
        param | i | tensor                             the parameter after optimizer.step()
        end
  optim_schedulers.txt  one block per scheduler configuration:
        case | name | Scheduler | options | Optimizer | defaults | lr of each group (comma separated)
        [metric | v0,v1,...]                          ReduceLROnPlateau: the metric passed to each step
        lr | t | lr of each group                      t = 0 right after construction, then after each step()
        momentum | t | momentum (or beta1) of each group   OneCycleLR only
        end
        SequentialLR's options name its inner schedulers as Name(key=value,...) joined by '+'.
  optim_clip.txt        one line per clipping case:
        clip_norm | name | max_norm | norm_type | grads... -> total_norm | clipped grads...
        clip_value | name | clip_value | grads... -> clipped grads...

Options use PyTorch's names; floats are written with repr, booleans as true/false, tuples
comma separated.
"""
import math
import os
import sys
import warnings

import torch
from torch.optim import lr_scheduler as S

DT = {torch.float32: "float32", torch.float64: "float64", torch.int64: "int64"}


def enc(t):
    t = t.detach().contiguous()
    shape = "x".join(str(s) for s in t.shape)
    vals = []
    for v in t.flatten().tolist():
        if isinstance(v, float):
            vals.append("nan" if math.isnan(v) else ("inf" if v == math.inf else ("-inf" if v == -math.inf else repr(v))))
        else:
            vals.append(str(v))
    return f"{DT[t.dtype]}:{shape}:{','.join(vals)}"


def opt_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (tuple, list)):
        return ",".join(opt_value(x) for x in v)
    if isinstance(v, (int, float)):
        return repr(float(v))
    return str(v)


def opts(d):
    return ";".join(f"{k}={opt_value(v)}" for k, v in d.items())


# ---------------------------------------------------------------- optimizers

STEPS = 6
torch.manual_seed(20240601)
INIT = [torch.randn(2, 3), torch.randn(3)]
# Gradients vary in scale from step to step so that amsgrad's running max and momentum matter.
GRADS = [[torch.randn(2, 3) * (0.5 + s % 3), torch.randn(3) * (1.5 - 0.2 * s)] for s in range(STEPS)]

OPTIMIZERS = [
    # name, class, defaults, groups [(param indices, overrides)], {(step, param) with grad None}
    ("sgd_plain", torch.optim.SGD, dict(lr=0.1), [([0, 1], {})], set()),
    ("sgd_momentum", torch.optim.SGD, dict(lr=0.1, momentum=0.9), [([0, 1], {})], set()),
    ("sgd_dampening", torch.optim.SGD, dict(lr=0.05, momentum=0.8, dampening=0.5), [([0, 1], {})], set()),
    ("sgd_nesterov", torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True), [([0, 1], {})], set()),
    ("sgd_weight_decay", torch.optim.SGD, dict(lr=0.1, momentum=0.5, weight_decay=0.1), [([0, 1], {})], set()),
    ("sgd_maximize", torch.optim.SGD, dict(lr=0.1, weight_decay=0.05, maximize=True), [([0, 1], {})], set()),
    ("sgd_groups", torch.optim.SGD, dict(lr=0.1, momentum=0.9),
     [([0], {}), ([1], dict(lr=0.01, momentum=0.5))], {(2, 1), (3, 1)}),
    ("adam_default", torch.optim.Adam, dict(lr=0.01), [([0, 1], {})], set()),
    ("adam_amsgrad", torch.optim.Adam, dict(lr=0.01, amsgrad=True), [([0, 1], {})], set()),
    ("adam_weight_decay", torch.optim.Adam, dict(lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1),
     [([0, 1], {})], set()),
    ("adam_maximize_groups", torch.optim.Adam, dict(lr=0.01, maximize=True),
     [([0], {}), ([1], dict(lr=0.05, amsgrad=True))], {(1, 0), (4, 1)}),
    ("adamw_default", torch.optim.AdamW, dict(lr=0.01), [([0, 1], {})], set()),
    ("adamw_amsgrad", torch.optim.AdamW, dict(lr=0.02, weight_decay=0.1, amsgrad=True), [([0, 1], {})], set()),
    ("rmsprop_plain", torch.optim.RMSprop, dict(lr=0.01), [([0, 1], {})], set()),
    ("rmsprop_centered", torch.optim.RMSprop, dict(lr=0.01, centered=True), [([0, 1], {})], set()),
    ("rmsprop_momentum", torch.optim.RMSprop, dict(lr=0.01, momentum=0.9, alpha=0.9), [([0, 1], {})], set()),
    ("rmsprop_all", torch.optim.RMSprop,
     dict(lr=0.005, alpha=0.95, eps=1e-6, weight_decay=0.1, momentum=0.5, centered=True), [([0, 1], {})], set()),
    ("adagrad_default", torch.optim.Adagrad, dict(lr=0.1), [([0, 1], {})], set()),
    ("adagrad_lr_decay", torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.05), [([0, 1], {})], set()),
    ("adagrad_all", torch.optim.Adagrad,
     dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1, eps=1e-8),
     [([0, 1], {})], set()),
]


def write_optimizers(out):
    for name, cls, defaults, groups, none_at in OPTIMIZERS:
        params = [p.clone().requires_grad_() for p in INIT]
        torch_groups = [dict(params=[params[i] for i in idx], **over) for idx, over in groups]
        kwargs = dict(defaults)
        kwargs["foreach"] = False
        opt = cls(torch_groups, **kwargs)
        out.append(f"case | {name} | {cls.__name__} | {opts(defaults)}")
        for idx, over in groups:
            out.append(f"group | {','.join(map(str, idx))} | {opts(over)}")
        for i, p in enumerate(params):
            out.append(f"init | {i} | {enc(p)}")
        for s in range(STEPS):
            out.append(f"step | {s + 1}")
            for i, p in enumerate(params):
                g = None if (s, i) in none_at else GRADS[s][i].clone()
                p.grad = g
                out.append(f"grad | {i} | {'none' if g is None else enc(g)}")
            opt.step()
            for i, p in enumerate(params):
                out.append(f"param | {i} | {enc(p)}")
        out.append("end")


# ---------------------------------------------------------------- schedulers

SCHED_STEPS = 30
GROUP_LRS = [0.1, 0.02]


def sched_optimizer(kind):
    ps = [torch.zeros(2, requires_grad=True), torch.zeros(2, requires_grad=True)]
    if kind == "SGD":
        defaults = dict(lr=0.1, momentum=0.9)
    else:
        defaults = dict(lr=0.1, betas=(0.9, 0.999))
    groups = [dict(params=[p], lr=lr) for p, lr in zip(ps, GROUP_LRS)]
    return torch.optim.SGD(groups, **defaults) if kind == "SGD" else torch.optim.Adam(groups, **defaults), \
        kind, defaults


LAMBDAS = {
    "pow095": lambda e: 0.95 ** e,
    "inverse": lambda e: 1.0 / (1 + e),
    "warmup5": lambda e: min(1.0, (e + 1) / 5),
}


def make(opt, name, kw):
    if name == "StepLR":
        return S.StepLR(opt, **kw)
    if name == "MultiStepLR":
        return S.MultiStepLR(opt, **kw)
    if name == "ExponentialLR":
        return S.ExponentialLR(opt, **kw)
    if name == "CosineAnnealingLR":
        return S.CosineAnnealingLR(opt, **kw)
    if name == "LinearLR":
        return S.LinearLR(opt, **kw)
    if name == "OneCycleLR":
        return S.OneCycleLR(opt, **kw)
    if name == "LambdaLR":
        return S.LambdaLR(opt, [LAMBDAS[n] for n in kw["lr_lambda"]])
    raise ValueError(name)


def sched_opts(kw):
    return ";".join(f"{k}={','.join(map(str, v)) if isinstance(v, list) and k in ('milestones', 'lr_lambda') else opt_value(v)}"
                    for k, v in kw.items())


SCHEDULERS = [
    ("step_lr", "StepLR", dict(step_size=7, gamma=0.5), "SGD"),
    ("multi_step_lr", "MultiStepLR", dict(milestones=[3, 8, 8, 20], gamma=0.3), "SGD"),
    ("exponential_lr", "ExponentialLR", dict(gamma=0.9), "SGD"),
    ("cosine_annealing_lr", "CosineAnnealingLR", dict(T_max=10, eta_min=0.001), "SGD"),
    ("cosine_annealing_lr_zero_min", "CosineAnnealingLR", dict(T_max=25), "SGD"),
    ("linear_lr", "LinearLR", dict(start_factor=0.25, end_factor=1.0, total_iters=8), "SGD"),
    ("linear_lr_decay", "LinearLR", dict(start_factor=1.0, end_factor=0.1, total_iters=20), "SGD"),
    ("lambda_lr", "LambdaLR", dict(lr_lambda=["pow095", "inverse"]), "SGD"),
    ("one_cycle_sgd", "OneCycleLR", dict(max_lr=[1.0, 0.5], total_steps=SCHED_STEPS + 1), "SGD"),
    ("one_cycle_adam_three_phase_linear", "OneCycleLR",
     dict(max_lr=0.3, total_steps=SCHED_STEPS + 1, pct_start=0.25, anneal_strategy="linear", three_phase=True,
          div_factor=10.0, final_div_factor=100.0, base_momentum=0.8, max_momentum=0.9), "Adam"),
    ("one_cycle_no_momentum", "OneCycleLR",
     dict(max_lr=0.2, total_steps=SCHED_STEPS + 5, pct_start=0.4, cycle_momentum=False), "SGD"),
]

SEQUENTIAL = [
    ("sequential_linear_cosine", [("LinearLR", dict(start_factor=0.1, total_iters=5)),
                                  ("CosineAnnealingLR", dict(T_max=25, eta_min=0.0005))], [5]),
    ("sequential_lambda_exponential_step", [("LambdaLR", dict(lr_lambda=["warmup5", "warmup5"])),
                                            ("ExponentialLR", dict(gamma=0.8)),
                                            ("StepLR", dict(step_size=4, gamma=0.5))], [5, 12]),
]

PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.91, 0.905, 0.92, 0.93, 0.89, 0.9, 0.9, 0.9, 0.9, 0.88, 0.8799, 0.9, 0.91,
                   0.92, 0.93, 0.94, 0.95, 0.7, 0.71, 0.72, 0.73, 0.74, 0.75, 0.76, 0.77, 0.78, 0.79]
PLATEAU = [
    ("plateau_min_rel", dict(mode="min", factor=0.5, patience=2, threshold=0.01), PLATEAU_METRICS),
    ("plateau_min_abs_cooldown", dict(mode="min", factor=0.1, patience=1, threshold=0.005, threshold_mode="abs",
                                      cooldown=2, min_lr=[0.001, 0.0005]), PLATEAU_METRICS),
    ("plateau_max_rel", dict(mode="max", factor=0.7, patience=3, threshold=0.0, min_lr=0.005),
     [-m for m in PLATEAU_METRICS]),
]


def lrs(opt):
    return ",".join(repr(float(g["lr"])) for g in opt.param_groups)


def momenta(opt):
    return ",".join(repr(float(g["momentum"] if "momentum" in g else g["betas"][0])) for g in opt.param_groups)


def write_schedulers(out):
    for name, sname, kw, okind in SCHEDULERS:
        opt, kind, defaults = sched_optimizer(okind)
        sched = make(opt, sname, kw)
        out.append(f"case | {name} | {sname} | {sched_opts(kw)} | {kind} | {opts(defaults)} | "
                   + ",".join(map(repr, GROUP_LRS)))
        cycle = sname == "OneCycleLR" and kw.get("cycle_momentum", True)
        out.append(f"lr | 0 | {lrs(opt)}")
        if cycle:
            out.append(f"momentum | 0 | {momenta(opt)}")
        for t in range(1, SCHED_STEPS + 1):
            opt.step()
            sched.step()
            out.append(f"lr | {t} | {lrs(opt)}")
            if cycle:
                out.append(f"momentum | {t} | {momenta(opt)}")
        out.append("end")
    for name, inner, milestones in SEQUENTIAL:
        opt, kind, defaults = sched_optimizer("SGD")
        scheds = [make(opt, n, kw) for n, kw in inner]
        sched = S.SequentialLR(opt, scheds, milestones=milestones)
        desc = "+".join(f"{n}({sched_opts(kw).replace(';', ',')})" for n, kw in inner)
        out.append(f"case | {name} | SequentialLR | schedulers={desc};milestones={','.join(map(str, milestones))} | "
                   f"{kind} | {opts(defaults)} | " + ",".join(map(repr, GROUP_LRS)))
        out.append(f"lr | 0 | {lrs(opt)}")
        for t in range(1, SCHED_STEPS + 1):
            opt.step()
            sched.step()
            out.append(f"lr | {t} | {lrs(opt)}")
        out.append("end")
    for name, kw, metrics in PLATEAU:
        opt, kind, defaults = sched_optimizer("SGD")
        sched = S.ReduceLROnPlateau(opt, **kw)
        kw_text = ";".join(f"{k}={','.join(map(repr, v)) if isinstance(v, list) else (v if isinstance(v, str) else opt_value(v))}"
                           for k, v in kw.items())
        out.append(f"case | {name} | ReduceLROnPlateau | {kw_text} | {kind} | {opts(defaults)} | "
                   + ",".join(map(repr, GROUP_LRS)))
        out.append("metric | " + ",".join(map(repr, metrics)))
        out.append(f"lr | 0 | {lrs(opt)}")
        for t, m in enumerate(metrics, 1):
            opt.step()
            sched.step(m)
            out.append(f"lr | {t} | {lrs(opt)}")
        out.append("end")


# ---------------------------------------------------------------- clipping

def write_clip(out):
    torch.manual_seed(7)
    grads = [torch.randn(2, 3) * 3, torch.randn(4), torch.randn(1) * 0.1]
    cases = [("l2", 1.0, 2.0), ("l1", 2.0, 1.0), ("inf", 0.5, math.inf), ("l3", 1.5, 3.0),
             ("no_clip", 100.0, 2.0)]
    for name, max_norm, norm_type in cases:
        ps = [torch.zeros_like(g, requires_grad=True) for g in grads]
        for p, g in zip(ps, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
        nt = "inf" if norm_type == math.inf else repr(norm_type)
        out.append(f"clip_norm | {name} | {max_norm!r} | {nt} | " + " | ".join(enc(g) for g in grads) + " -> "
                   + enc(total) + " | " + " | ".join(enc(p.grad) for p in ps))
    ps = [torch.zeros_like(g, requires_grad=True) for g in grads]
    for p, g in zip(ps, grads):
        p.grad = g.clone()
    torch.nn.utils.clip_grad_value_(ps, 0.75)
    out.append("clip_value | value | 0.75 | " + " | ".join(enc(g) for g in grads) + " -> "
               + " | ".join(enc(p.grad) for p in ps))


def main():
    # SequentialLR steps later schedulers with an explicit epoch, which PyTorch 1.13 reports as deprecated.
    warnings.filterwarnings("ignore", message="The epoch parameter")
    out_dir = sys.argv[1] if len(sys.argv) > 1 else "core/src/test/resources/reference"
    os.makedirs(out_dir, exist_ok=True)
    header = f"# generated by tools/reference/optim_reference.py with torch {torch.__version__}; do not edit"
    for fname, writer in [("optim_optimizers.txt", write_optimizers), ("optim_schedulers.txt", write_schedulers),
                          ("optim_clip.txt", write_clip)]:
        out = [header]
        writer(out)
        with open(os.path.join(out_dir, fname), "w") as f:
            f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
