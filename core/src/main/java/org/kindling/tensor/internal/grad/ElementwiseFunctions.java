package org.kindling.tensor.internal.grad;

import org.kindling.Kindling;
import org.kindling.kernel.internal.Erf;
import org.kindling.kernel.internal.KernelProvider;
import org.kindling.kernel.internal.Parallel;
import org.kindling.tensor.DType;
import org.kindling.tensor.Function;
import org.kindling.tensor.FunctionCtx;
import org.kindling.tensor.GradMode;
import org.kindling.tensor.Tensor;
import org.kindling.tensor.internal.Buffer;
import org.kindling.tensor.internal.TensorAccess;
import org.kindling.tensor.internal.trace.TraceEmitter;
import org.kindling.tensor.internal.trace.TraceOps;
import org.kindling.tensor.internal.trace.Traceable;

/**
 * Differentiable elementwise ops. Backward formulas are PyTorch's (derivatives.yaml), written
 * with Tensor ops so that they can be differentiated again. Unary ops save their input or their
 * output as PyTorch does, so an in-place change of the same tensor is caught the same way.
 */
public final class ElementwiseFunctions {
    private ElementwiseFunctions() {}

    private static int[] shape(Tensor t) {
        return t.shape().toArray();
    }

    /** The computation of a unary or binary op, run by forward. */
    @FunctionalInterface
    public interface Op {
        Tensor apply(Tensor[] in);
    }

    /**
     * An op whose gradient is zero wherever it is defined (sign, floor, ceil, round,
     * floorDivide): the output requires grad, as in PyTorch, and backward gives zeros.
     */
    public static final class ZeroGrad extends Function implements Traceable {
        private final String name;
        private final Op op;

        public ZeroGrad(String name, Op op) {
            this.name = name;
            this.op = op;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            int[][] shapes = new int[in.length][];
            DType[] types = new DType[in.length];
            for (int i = 0; i < in.length; i++) {
                shapes[i] = shape(in[i]);
                types[i] = in[i].dtype();
            }
            ctx.put("shapes", shapes);
            ctx.put("types", types);
            return op.apply(in);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            int[][] shapes = ctx.get("shapes");
            DType[] types = ctx.get("types");
            Tensor[] out = new Tensor[shapes.length];
            for (int i = 0; i < out.length; i++) {
                if (ctx.needsInputGrad(i)) out[i] = Grads.zeros(shapes[i], types[i]);
            }
            return out;
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return switch (name) {
                case "Sign", "Floor", "Ceil", "Round" -> TraceOps.unary(e, name);
                case "FloorDivide" -> {
                    DType t = e.output().dtype();
                    DType wide = t.isFloatingPoint() ? t : DType.FLOAT64;
                    V q = e.op("Floor").in(e.op("Div").in(TraceOps.input(e, 0, wide)).in(TraceOps.input(e, 1, wide)).out()).out();
                    yield TraceOps.cast(e, q, wide, t);
                }
                default -> throw e.unsupported("no ONNX description");
            };
        }

        @Override
        public String name() {
            return name;
        }
    }

    /** {@code a ** b} with both operands differentiable. */
    public static final class Pow extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].pow(in[1]);
            ctx.put("ta", in[0].dtype());
            ctx.put("tb", in[1].dtype());
            // The result is needed only for the exponent's gradient (PyTorch saves it only then).
            ctx.saveForBackward(in[0], in[1], ctx.needsInputGrad(1) ? out : null);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor a = s[0];
            Tensor b = s[1];
            Tensor ga = null;
            Tensor gb = null;
            if (ctx.needsInputGrad(0)) {
                // b * a^(b-1), zero where b == 0 (so 0^0 gives 0 and not 0 * inf).
                Tensor d = b.mul(a.pow(b.sub(1))).maskedFill(b.eq(0), 0);
                ga = Grads.sumTo(g.mul(d), shape(a), ctx.get("ta"));
            }
            if (ctx.needsInputGrad(1)) {
                // out * log(a), zero where a == 0 and b >= 0 (the limit, as PyTorch).
                Tensor d = s[2].mul(a.log()).maskedFill(a.eq(0).logicalAnd(b.ge(0)), 0);
                gb = Grads.sumTo(g.mul(d), shape(b), ctx.get("tb"));
            }
            return new Tensor[] {ga, gb};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, "Pow");
        }
    }

    /** abs: gradient sign(x), 0 at 0 (PyTorch's sgn). */
    public static final class Abs extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].abs();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.mul(ctx.savedTensors()[0].sign())};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Abs");
        }
    }

    public static final class Log extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].log();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.div(ctx.savedTensors()[0])};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Log");
        }
    }

    public static final class Log1p extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].log1p();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.div(ctx.savedTensors()[0].add(1.0))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            V x = TraceOps.input(e, 0, e.output().dtype());
            return e.op("Log").in(e.op("Add").in(x).in(e.scalar(1, e.output().dtype())).out()).out();
        }
    }

    public static final class Expm1 extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].expm1();
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.mul(ctx.savedTensors()[0].add(1.0))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            V x = TraceOps.input(e, 0, e.output().dtype());
            return e.op("Sub").in(e.op("Exp").in(x).out()).in(e.scalar(1, e.output().dtype())).out();
        }
    }

    public static final class Sqrt extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].sqrt();
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.div(ctx.savedTensors()[0].mul(2.0))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Sqrt");
        }
    }

    public static final class Rsqrt extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].rsqrt();
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            // d/dx x^(-1/2) = -1/2 y^3
            return new Tensor[] {g.mul(ctx.savedTensors()[0].pow(3.0)).mul(-0.5)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return e.op("Reciprocal").in(TraceOps.unary(e, "Sqrt")).out();
        }
    }

    public static final class Reciprocal extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].reciprocal();
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor y = ctx.savedTensors()[0];
            return new Tensor[] {g.mul(y.mul(y)).neg()};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Reciprocal");
        }
    }

    public static final class Sin extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].sin();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.mul(ctx.savedTensors()[0].cos())};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Sin");
        }
    }

    public static final class Cos extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].cos();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.mul(ctx.savedTensors()[0].sin()).neg()};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Cos");
        }
    }

    public static final class Tanh extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].tanh();
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor y = ctx.savedTensors()[0];
            return new Tensor[] {g.mul(y.mul(y).rsub(1.0))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Tanh");
        }
    }

    public static final class Sigmoid extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].sigmoid();
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor y = ctx.savedTensors()[0];
            return new Tensor[] {g.mul(y.mul(y.rsub(1.0)))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Sigmoid");
        }
    }

    /** relu: the gradient passes where the output is positive (0 at x == 0, as PyTorch). */
    public static final class Relu extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            Tensor out = in[0].relu();
            ctx.saveForBackward(out);
            return out;
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor y = ctx.savedTensors()[0];
            if (!GradMode.isEnabled() && y.dtype() == DType.FLOAT32 && g.dtype() == DType.FLOAT32) {
                return new Tensor[] {fusedReluBackward(g, y)};
            }
            return new Tensor[] {g.maskedFill(y.le(0.0), 0)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.unary(e, "Relu");
        }

        /** One pass over contiguous float32 data (the composed form takes a compare, a copy and a fill). */
        private static Tensor fusedReluBackward(Tensor g, Tensor y) {
            Buffer gb = TensorAccess.unwrap(g).contiguous();
            Buffer yb = TensorAccess.unwrap(y).contiguous();
            Buffer out = Buffer.allocate(DType.FLOAT32, yb.shape);
            float[] ga = gb.storage.f32;
            float[] ya = yb.storage.f32;
            float[] oa = out.storage.f32;
            int go = gb.offset;
            int yo = yb.offset;
            Parallel.parallelFor(0, out.numel(), Parallel.ELEMENTWISE_GRAIN, (from, to) ->
                    KernelProvider.get().reluBackward(to - from, ga, go + from, ya, yo + from, oa, from));
            return TensorAccess.wrap(out);
        }
    }

    /** The standard normal CDF Φ(x), used by GELU's gradient; its own gradient is the density. */
    public static final class NormalCdf extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            double[] x = in[0].toDoubleArray();
            double[] y = new double[x.length];
            double r = 1.0 / Math.sqrt(2.0);
            for (int i = 0; i < x.length; i++) y[i] = 0.5 * (1.0 + Erf.erf(x[i] * r));
            return Kindling.fromArray(y, shape(in[0])).to(in[0].dtype());
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.mul(normalPdf(ctx.savedTensors()[0]))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.normalCdf(e, TraceOps.input(e, 0, e.output().dtype()), e.output().dtype());
        }
    }

    /** exp(-x^2 / 2) / sqrt(2 pi), with Tensor ops. */
    static Tensor normalPdf(Tensor x) {
        return x.mul(x).mul(-0.5).exp().mul(1.0 / Math.sqrt(2.0 * Math.PI));
    }

    /** Exact GELU x Φ(x): gradient Φ(x) + x φ(x). */
    public static final class Gelu extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].gelu();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor x = ctx.savedTensors()[0];
            Tensor cdf = new NormalCdf().apply(x);
            return new Tensor[] {g.mul(cdf.add(x.mul(normalPdf(x))))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            DType t = e.output().dtype();
            V x = TraceOps.input(e, 0, t);
            return e.op("Mul").in(x).in(TraceOps.normalCdf(e, x, t)).out();
        }
    }

    /** GELU with the tanh approximation: 0.5 x (1 + tanh(k (x + c x^3))). */
    public static final class GeluTanh extends Function implements Traceable {
        private static final double K = Math.sqrt(2.0 / Math.PI);
        private static final double C = 0.044715;

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].gelu("tanh");
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor x = ctx.savedTensors()[0];
            Tensor x2 = x.mul(x);
            Tensor t = x2.mul(C).add(1.0).mul(x).mul(K).tanh();
            Tensor left = t.add(1.0).mul(0.5);
            Tensor right = x.mul(0.5).mul(t.mul(t).rsub(1.0)).mul(x2.mul(3 * C).add(1.0).mul(K));
            return new Tensor[] {g.mul(left.add(right))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            DType t = e.output().dtype();
            V x = TraceOps.input(e, 0, t);
            V cube = e.op("Mul").in(e.op("Mul").in(x).in(x).out()).in(x).out();
            V inner = e.op("Add").in(x).in(e.op("Mul").in(cube).in(e.scalar(0.044715, t)).out()).out();
            V th = e.op("Tanh").in(e.op("Mul").in(inner).in(e.scalar(Math.sqrt(2 / Math.PI), t)).out()).out();
            V half = e.op("Mul").in(x).in(e.scalar(0.5, t)).out();
            return e.op("Mul").in(half).in(e.op("Add").in(th).in(e.scalar(1, t)).out()).out();
        }
    }

    /** silu x σ(x): gradient σ(x) (1 + x (1 - σ(x))). */
    public static final class Silu extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].silu();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor x = ctx.savedTensors()[0];
            Tensor s = x.sigmoid();
            return new Tensor[] {g.mul(s.mul(x.mul(s.rsub(1.0)).add(1.0)))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            V x = TraceOps.input(e, 0, e.output().dtype());
            return e.op("Mul").in(x).in(e.op("Sigmoid").in(x).out()).out();
        }
    }

    /** softplus (beta 1, threshold 20): gradient σ(x), exactly 1 above the threshold where the op is linear. */
    public static final class Softplus extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return in[0].softplus();
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor x = ctx.savedTensors()[0];
            return new Tensor[] {g.mul(x.sigmoid().maskedFill(x.gt(20.0), 1))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            DType t = e.output().dtype();
            V x = TraceOps.input(e, 0, t);
            // linear above 20 as the engine, where ONNX's log(exp(x) + 1) would overflow
            V big = e.op("Greater").in(x).in(e.scalar(20, t)).out();
            return e.op("Where").in(big).in(x).in(e.op("Softplus").in(x).out()).out();
        }
    }

    /** clamp: the gradient passes where min <= x <= max (inclusive, as PyTorch); either bound may be null. */
    public static final class Clamp extends Function implements Traceable {
        private final Double min;
        private final Double max;

        public Clamp(Double min, Double max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            Tensor x = in[0];
            if (min != null && max != null) return x.clamp(min, max);
            return min != null ? x.clampMin(min) : x.clampMax(max);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor x = ctx.savedTensors()[0];
            Tensor pass = null;
            if (min != null) pass = x.ge(min);
            if (max != null) pass = pass == null ? x.le(max) : pass.logicalAnd(x.le(max));
            return new Tensor[] {g.maskedFill(pass.logicalNot(), 0)};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            DType t = e.output().dtype();
            return e.op("Clip").in(TraceOps.input(e, 0, t)).in(min == null ? e.absent() : e.scalar(min, t))
                    .in(max == null ? e.absent() : e.scalar(max, t)).out();
        }

        @Override
        public String name() {
            return min != null && max != null ? "Clamp" : min != null ? "ClampMin" : "ClampMax";
        }
    }

    /** maximum / minimum: ties split the gradient half and half, as PyTorch. */
    public static final class MaxMin extends Function implements Traceable {
        private final boolean max;

        public MaxMin(boolean max) {
            this.max = max;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            ctx.put("ta", in[0].dtype());
            ctx.put("tb", in[1].dtype());
            return max ? in[0].maximum(in[1]) : in[0].minimum(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor a = s[0];
            Tensor b = s[1];
            Tensor shared = Kindling.where(a.eq(b), g.mul(0.5), g);
            Tensor ga = null;
            Tensor gb = null;
            if (ctx.needsInputGrad(0)) {
                Tensor lose = max ? a.lt(b) : a.gt(b);
                ga = Grads.sumTo(shared.maskedFill(lose, 0), shape(a), ctx.get("ta"));
            }
            if (ctx.needsInputGrad(1)) {
                Tensor lose = max ? a.gt(b) : a.lt(b);
                gb = Grads.sumTo(shared.maskedFill(lose, 0), shape(b), ctx.get("tb"));
            }
            return new Tensor[] {ga, gb};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.binary(e, max ? "Max" : "Min");
        }

        @Override
        public String name() {
            return max ? "Maximum" : "Minimum";
        }
    }

    /** Python's remainder a - floor(a / b) * b: gradient 1 for a, -floor(a / b) for b. */
    public static final class Remainder extends Function implements Traceable {
        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            ctx.put("ta", in[0].dtype());
            ctx.put("tb", in[1].dtype());
            return in[0].remainder(in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor[] s = ctx.savedTensors();
            Tensor ga = ctx.needsInputGrad(0) ? Grads.sumTo(g, shape(s[0]), ctx.get("ta")) : null;
            Tensor gb = ctx.needsInputGrad(1)
                    ? Grads.sumTo(g.mul(s[0].floorDivide(s[1])).neg(), shape(s[1]), ctx.get("tb")) : null;
            return new Tensor[] {ga, gb};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            DType t = e.output().dtype();
            V a = TraceOps.input(e, 0, t);
            V b = TraceOps.input(e, 1, t);
            if (!t.isFloatingPoint()) return e.op("Mod").in(a).in(b).attr("fmod", 0).out();
            V q = e.op("Floor").in(e.op("Div").in(a).in(b).out()).out();
            return e.op("Sub").in(a).in(e.op("Mul").in(q).in(b).out()).out();
        }
    }

    /** where(cond, a, b); the condition is not differentiable. */
    public static final class Where extends Function implements Traceable {
        private final Tensor condition;

        public Where(Tensor condition) {
            this.condition = condition;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("sa", shape(in[0]));
            ctx.put("sb", shape(in[1]));
            ctx.put("ta", in[0].dtype());
            ctx.put("tb", in[1].dtype());
            return in[0].where(condition, in[1]);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            Tensor ga = null;
            Tensor gb = null;
            if (ctx.needsInputGrad(0)) {
                ga = Grads.sumTo(g.maskedFill(condition.logicalNot(), 0), ctx.get("sa"), ctx.get("ta"));
            }
            if (ctx.needsInputGrad(1)) {
                gb = Grads.sumTo(g.maskedFill(condition, 0), ctx.get("sb"), ctx.get("tb"));
            }
            return new Tensor[] {ga, gb};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            DType t = e.output().dtype();
            V c = TraceOps.value(e, condition, DType.BOOL);
            return e.op("Where").in(c).in(TraceOps.input(e, 0, t)).in(TraceOps.input(e, 1, t)).out();
        }
    }

    /** A floating-point dtype conversion; the gradient is converted back. */
    public static final class Cast extends Function implements Traceable {
        private final DType dtype;

        public Cast(DType dtype) {
            this.dtype = dtype;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("t", in[0].dtype());
            return in[0].to(dtype);
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {g.to(ctx.<DType>get("t"))};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return TraceOps.input(e, 0, dtype);
        }

        @Override
        public String name() {
            return "ToCopy";
        }
    }

    /**
     * A comparison (eq, ne, lt, le, gt, ge) with a bool result. Not differentiable: it runs through
     * {@code apply} only while tracing, so that the graph sees it.
     */
    public static final class Compare extends Function implements Traceable {
        private final String op;

        public Compare(String op) {
            this.op = op;
        }

        @Override
        public Tensor forward(FunctionCtx ctx, Tensor... in) {
            return switch (op) {
                case "eq" -> in[0].eq(in[1]);
                case "ne" -> in[0].ne(in[1]);
                case "lt" -> in[0].lt(in[1]);
                case "le" -> in[0].le(in[1]);
                case "gt" -> in[0].gt(in[1]);
                case "ge" -> in[0].ge(in[1]);
                default -> throw new IllegalArgumentException("unknown comparison " + op);
            };
        }

        @Override
        public Tensor[] backward(FunctionCtx ctx, Tensor g) {
            return new Tensor[] {null, null};
        }

        @Override
        public <V> V trace(TraceEmitter<V> e) {
            return switch (op) {
                case "eq" -> TraceOps.compare(e, "Equal", false);
                case "ne" -> TraceOps.compare(e, "Equal", true);
                case "lt" -> TraceOps.compare(e, "Less", false);
                case "le" -> TraceOps.compare(e, "LessOrEqual", false);
                case "gt" -> TraceOps.compare(e, "Greater", false);
                default -> TraceOps.compare(e, "GreaterOrEqual", false);
            };
        }

        @Override
        public String name() {
            return "Compare(" + op + ")";
        }
    }
}
