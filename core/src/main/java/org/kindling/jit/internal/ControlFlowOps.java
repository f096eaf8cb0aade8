package org.kindling.jit.internal;

import java.util.ArrayList;
import java.util.List;
import org.kindling.Kindling;
import org.kindling.jit.Graph;
import org.kindling.tensor.DType;
import org.kindling.tensor.Tensor;

/** If and Loop, running their subgraphs in the enclosing scope. */
final class ControlFlowOps {

    /** A corrupt trip count or condition must not spin forever. */
    static final long MAX_LOOP_ITERATIONS = Long.getLong("kindling.jit.maxLoopIterations", 1_000_000);

    private ControlFlowOps() {}

    static void register(OpRegistry r) {
        r.op("If", 1, ctx -> {
            boolean cond = ctx.input(0).to(DType.FLOAT64).reshape(-1).toDoubleArray()[0] != 0;
            Graph branch = ctx.attrs().getGraph(cond ? "then_branch" : "else_branch");
            return ctx.runSubgraph(branch, List.of()).toArray(new Tensor[0]);
        });
        r.op("Scan", 9, ControlFlowOps::scan);
        r.op("Loop", 1, ctx -> {
            Graph body = ctx.attrs().getGraph("body");
            long maxTrip = ctx.has(0) ? Ops.longs(ctx.input(0))[0] : Long.MAX_VALUE;
            boolean cond = !ctx.has(1) || ctx.input(1).to(DType.FLOAT64).reshape(-1).toDoubleArray()[0] != 0;
            int carried = ctx.numInputs() - 2;
            List<Tensor> state = new ArrayList<>();
            for (int i = 0; i < carried; i++) state.add(ctx.input(2 + i));
            int scanOutputs = body.outputs().size() - 1 - carried;
            List<List<Tensor>> scans = new ArrayList<>();
            for (int i = 0; i < scanOutputs; i++) scans.add(new ArrayList<>());
            for (long it = 0; it < maxTrip && cond; it++) {
                if (it >= MAX_LOOP_ITERATIONS) throw ctx.fail("Loop ran " + MAX_LOOP_ITERATIONS + " iterations without finishing (-Dkindling.jit.maxLoopIterations)");
                if (Thread.currentThread().isInterrupted()) throw ctx.fail("interrupted");
                List<Tensor> in = new ArrayList<>();
                in.add(Kindling.scalar(it));
                in.add(Kindling.tensor(cond));
                in.addAll(state);
                List<Tensor> out = ctx.runSubgraph(body, in);
                cond = out.get(0).to(DType.FLOAT64).reshape(-1).toDoubleArray()[0] != 0;
                for (int i = 0; i < carried; i++) state.set(i, out.get(1 + i));
                for (int i = 0; i < scanOutputs; i++) scans.get(i).add(out.get(1 + carried + i));
            }
            Tensor[] result = new Tensor[carried + scanOutputs];
            for (int i = 0; i < carried; i++) result[i] = state.get(i);
            for (int i = 0; i < scanOutputs; i++) {
                result[carried + i] = scans.get(i).isEmpty() ? Kindling.zeros(new int[] {0}, DType.FLOAT32) : Kindling.stack(scans.get(i), 0);
            }
            return result;
        });
    }

    private static Tensor[] scan(OpContext ctx) {
        Graph body = ctx.attrs().getGraph("body");
        int m = (int) ctx.attrInt("num_scan_inputs", 0);
        int n = ctx.numInputs() - m;
        int k = body.outputs().size() - n;
        int[] inAxes = ctx.attrInts("scan_input_axes", new int[m]);
        int[] inDirs = ctx.attrInts("scan_input_directions", new int[m]);
        int[] outAxes = ctx.attrInts("scan_output_axes", new int[k]);
        int[] outDirs = ctx.attrInts("scan_output_directions", new int[k]);
        List<Tensor> state = new ArrayList<>();
        for (int i = 0; i < n; i++) state.add(ctx.input(i));
        Tensor[] scanIn = new Tensor[m];
        int len = -1;
        for (int j = 0; j < m; j++) {
            scanIn[j] = ctx.input(n + j);
            inAxes[j] = ctx.normalizeAxis(inAxes[j], scanIn[j].dim());
            int l = scanIn[j].size(inAxes[j]);
            if (len >= 0 && l != len) throw ctx.fail("scan inputs have different lengths " + len + " and " + l);
            len = l;
        }
        List<List<Tensor>> outs = new ArrayList<>();
        for (int j = 0; j < k; j++) outs.add(new ArrayList<>());
        for (int t = 0; t < len; t++) {
            List<Tensor> in = new ArrayList<>(state);
            for (int j = 0; j < m; j++) in.add(scanIn[j].select(inAxes[j], inDirs[j] == 1 ? len - 1 - t : t));
            List<Tensor> out = ctx.runSubgraph(body, in);
            for (int i = 0; i < n; i++) state.set(i, out.get(i));
            for (int j = 0; j < k; j++) outs.get(j).add(out.get(n + j));
        }
        Tensor[] result = new Tensor[n + k];
        for (int i = 0; i < n; i++) result[i] = state.get(i);
        for (int j = 0; j < k; j++) {
            List<Tensor> parts = new ArrayList<>(outs.get(j));
            if (outDirs[j] == 1) java.util.Collections.reverse(parts);
            int axis = ctx.normalizeAxis(outAxes[j], parts.isEmpty() ? 1 : parts.get(0).dim() + 1);
            result[n + j] = parts.isEmpty() ? Kindling.zeros(new int[] {0}, DType.FLOAT32) : Kindling.stack(parts, axis);
        }
        return result;
    }
}
