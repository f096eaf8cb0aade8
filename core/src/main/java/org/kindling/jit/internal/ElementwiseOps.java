package org.kindling.jit.internal;

import static org.kindling.jit.internal.Ops.map;
import static org.kindling.jit.internal.Ops.one;
import static org.kindling.jit.internal.Ops.scalarLike;

import java.util.function.BinaryOperator;
import org.kindling.Kindling;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** Elementwise arithmetic, math functions, activations, comparisons, logic and casts. */
final class ElementwiseOps {

    private ElementwiseOps() {}

    static void register(OpRegistry r) {
        // arithmetic
        r.binary("Add", 1, Tensor::add);
        r.binary("Sub", 1, Tensor::sub);
        r.binary("Mul", 1, Tensor::mul);
        r.binary("Div", 1, ElementwiseOps::div);
        r.binary("Pow", 1, (a, b) -> a.isFloatingPoint() ? a.pow(b.to(a.dtype())) : a.to(DType.FLOAT64).pow(b.to(DType.FLOAT64)).to(a.dtype()));
        r.op("Mod", 10, ctx -> one(ctx.attrInt("fmod", 0) == 1 ? fmod(ctx.input(0), ctx.input(1)) : ctx.input(0).remainder(ctx.input(1))));
        r.op("Max", 1, ctx -> one(variadic(ctx, Tensor::maximum)));
        r.op("Min", 1, ctx -> one(variadic(ctx, Tensor::minimum)));
        r.op("Sum", 1, ctx -> one(variadic(ctx, Tensor::add)));
        r.op("Mean", 1, ctx -> one(variadic(ctx, Tensor::add).div((double) ctx.numInputs())));

        // math
        r.unary("Abs", 1, Tensor::abs);
        r.unary("Neg", 1, Tensor::neg);
        r.unary("Exp", 1, Tensor::exp);
        r.unary("Log", 1, Tensor::log);
        r.unary("Sqrt", 1, Tensor::sqrt);
        r.unary("Reciprocal", 1, Tensor::reciprocal);
        r.unary("Floor", 1, Tensor::floor);
        r.unary("Ceil", 1, Tensor::ceil);
        r.unary("Round", 11, Tensor::round);
        r.unary("Sign", 9, Tensor::sign);
        r.unary("Sin", 7, Tensor::sin);
        r.unary("Cos", 7, Tensor::cos);
        r.unary("Tan", 7, x -> x.sin().div(x.cos()));
        r.unary("Asin", 7, x -> map(x, Math::asin));
        r.unary("Acos", 7, x -> map(x, Math::acos));
        r.unary("Atan", 7, x -> map(x, Math::atan));
        r.unary("Sinh", 9, x -> x.exp().sub(x.neg().exp()).mul(0.5));
        r.unary("Cosh", 9, x -> x.exp().add(x.neg().exp()).mul(0.5));
        r.unary("Asinh", 9, x -> x.add(x.square().add(1.0).sqrt()).log());
        r.unary("Acosh", 9, x -> x.add(x.square().sub(1.0).sqrt()).log());
        r.unary("Atanh", 9, x -> x.add(1.0).div(x.rsub(1.0)).log().mul(0.5));
        r.unary("Erf", 9, ElementwiseOps::erf);
        r.unary("Identity", 1, x -> x);

        // activations
        r.unary("Relu", 6, Tensor::relu);
        r.unary("Sigmoid", 6, Tensor::sigmoid);
        r.unary("Tanh", 6, Tensor::tanh);
        r.op("LeakyRelu", 6, ctx -> one(leaky(ctx.input(0), ctx.attrFloat("alpha", 0.01f))));
        r.op("Elu", 6, ctx -> one(elu(ctx.input(0), ctx.attrFloat("alpha", 1f))));
        r.op("Celu", 12, ctx -> {
            float alpha = ctx.attrFloat("alpha", 1f);
            Tensor x = ctx.input(0);
            return one(x.relu().add(x.div((double) alpha).exp().sub(1.0).mul((double) alpha).clampMax(0)));
        });
        r.op("Selu", 6, ctx -> one(elu(ctx.input(0), ctx.attrFloat("alpha", 1.67326319217681884765625f))
                .mul((double) ctx.attrFloat("gamma", 1.05070102214813232421875f))));
        r.op("HardSigmoid", 6, ctx -> one(ctx.input(0).mul((double) ctx.attrFloat("alpha", 0.2f))
                .add((double) ctx.attrFloat("beta", 0.5f)).clamp(0, 1)));
        r.unary("HardSwish", 14, x -> x.mul(x.div(6.0).add(0.5).clamp(0, 1)));
        r.unary("Softplus", 1, x -> x.relu().add(x.abs().neg().exp().log1p()));
        r.unary("Softsign", 1, x -> x.div(x.abs().add(1.0)));
        r.unary("Mish", 18, x -> x.mul(x.relu().add(x.abs().neg().exp().log1p()).tanh()));
        r.op("ThresholdedRelu", 10, ctx -> {
            Tensor x = ctx.input(0);
            return one(x.where(x.gt((double) ctx.attrFloat("alpha", 1f)), Kindling.zerosLike(x)));
        });
        r.op("Gelu", 20, ctx -> one(ctx.attrString("approximate", "none").equals("tanh") ? ctx.input(0).gelu("tanh")
                : ctx.input(0).mul(erf(ctx.input(0).div(Math.sqrt(2.0))).add(1.0)).mul(0.5)));
        r.binary("PRelu", 6, (x, slope) -> x.where(x.ge(0.0), x.mul(slope)));
        r.op("Shrink", 9, ctx -> {
            Tensor x = ctx.input(0);
            double lambd = ctx.attrFloat("lambd", 0.5f), bias = ctx.attrFloat("bias", 0f);
            Tensor zero = Kindling.zerosLike(x);
            Tensor low = x.add(bias).where(x.lt(-lambd), zero);
            return one(x.sub(bias).where(x.gt(lambd), low));
        });
        r.op("Swish", 24, ctx -> one(ctx.input(0).mul(ctx.input(0).mul((double) ctx.attrFloat("alpha", 1f)).sigmoid())));

        // tests and comparisons
        r.unary("IsNaN", 9, Tensor::isnan);
        r.op("IsInf", 10, ctx -> {
            Tensor x = ctx.input(0);
            boolean pos = ctx.attrInt("detect_positive", 1) == 1, neg = ctx.attrInt("detect_negative", 1) == 1;
            Tensor inf = x.isinf();
            if (pos && neg) return one(inf);
            if (!pos && !neg) return one(Kindling.zeros(Ops.shape(x), DType.BOOL));
            return one(inf.logicalAnd(pos ? x.gt(0.0) : x.lt(0.0)));
        });
        r.binary("Equal", 1, Tensor::eq);
        r.binary("Less", 1, Tensor::lt);
        r.binary("Greater", 1, Tensor::gt);
        r.binary("LessOrEqual", 12, Tensor::le);
        r.binary("GreaterOrEqual", 12, Tensor::ge);
        r.binary("And", 1, Tensor::logicalAnd);
        r.binary("Or", 1, Tensor::logicalOr);
        r.binary("Xor", 1, Tensor::logicalXor);
        r.unary("Not", 1, Tensor::logicalNot);
        r.op("Where", 9, ctx -> one(ctx.input(1).where(ctx.input(0), ctx.input(2))));
        r.binary("BitwiseAnd", 18, (a, b) -> bitwise(a, b, (x, y) -> x & y));
        r.binary("BitwiseOr", 18, (a, b) -> bitwise(a, b, (x, y) -> x | y));
        r.binary("BitwiseXor", 18, (a, b) -> bitwise(a, b, (x, y) -> x ^ y));
        r.unary("BitwiseNot", 18, a -> map(a.to(DType.FLOAT64), v -> ~(long) v).to(a.dtype()));

        // clip and casts
        r.op("Clip", 6, ctx -> one(ctx.input(0).clamp(ctx.attrFloat("min", Float.NEGATIVE_INFINITY), ctx.attrFloat("max", Float.POSITIVE_INFINITY))));
        r.op("Clip", 11, ctx -> {
            Tensor x = ctx.input(0);
            if (ctx.has(1)) x = x.maximum(ctx.input(1).to(x.dtype()));
            if (ctx.has(2)) x = x.minimum(ctx.input(2).to(x.dtype()));
            return one(x);
        });
        r.op("Cast", 6, ctx -> one(cast(ctx.input(0), Ops.dtype(ctx.attrInt("to", 1)))));
        r.op("CastLike", 15, ctx -> one(cast(ctx.input(0), ctx.input(1).dtype())));
    }

    static Tensor cast(Tensor x, DType to) {
        if (x.dtype() == to) return x;
        if (to == DType.BOOL) return x.ne(0.0);
        return x.to(to);
    }

    private static Tensor div(Tensor a, Tensor b) {
        if (a.isFloatingPoint()) return a.div(b);
        // Integer division truncates toward zero (C semantics, as ONNX's reference).
        Tensor q = a.floorDivide(b);
        Tensor inexact = q.mul(b).ne(a).logicalAnd(a.lt(0L).logicalXor(b.lt(0L)));
        return q.add(inexact.to(q.dtype()));
    }

    private static Tensor fmod(Tensor a, Tensor b) {
        Tensor r = a.remainder(b);
        // Python's % takes the divisor's sign; C's fmod takes the dividend's.
        Tensor fix = r.ne(0.0).logicalAnd(r.lt(0.0).logicalXor(a.lt(0.0)));
        return r.where(fix.logicalNot(), r.sub(b));
    }

    private static Tensor variadic(OpContext ctx, BinaryOperator<Tensor> fn) {
        Tensor acc = ctx.input(0);
        for (int i = 1; i < ctx.numInputs(); i++) acc = fn.apply(acc, ctx.input(i));
        return acc;
    }

    static Tensor leaky(Tensor x, double alpha) {
        return x.where(x.ge(0.0), x.mul(alpha));
    }

    static Tensor elu(Tensor x, double alpha) {
        return x.where(x.gt(0.0), x.clampMax(0).exp().sub(1.0).mul(alpha));
    }

    /** erf by Abramowitz-Stegun 7.1.26 refined: |error| < 1.5e-7, composed of differentiable ops. */
    static Tensor erf(Tensor x) {
        Tensor ax = x.abs();
        Tensor t = ax.mul(0.3275911).add(1.0).reciprocal();
        Tensor poly = t.mul(1.061405429).add(-1.453152027).mul(t).add(1.421413741).mul(t).add(-0.284496736).mul(t)
                .add(0.254829592).mul(t);
        Tensor y = poly.mul(ax.square().neg().exp()).rsub(1.0);
        return y.mul(x.sign());
    }

    private interface LongOp {
        long apply(long a, long b);
    }

    private static Tensor bitwise(Tensor a, Tensor b, LongOp op) {
        if (a.dtype() == DType.BOOL) {
            Tensor la = a.to(DType.INT64), lb = b.to(DType.INT64);
            return bitwise(la, lb, op).ne(0L);
        }
        int[] shape = org.kindling.tensor.Shape.broadcast(Ops.shape(a), Ops.shape(b), "bitwise");
        long[] x = a.to(DType.INT64).expand(shape).contiguous().toLongArray();
        long[] y = b.to(DType.INT64).expand(shape).contiguous().toLongArray();
        for (int i = 0; i < x.length; i++) x[i] = op.apply(x[i], y[i]);
        return Kindling.fromArray(x, shape).to(a.dtype());
    }
}
