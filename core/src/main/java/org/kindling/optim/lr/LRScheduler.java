package org.kindling.optim.lr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.kindling.optim.Optimizer;
import org.kindling.optim.ParamGroup;

/**
 * Base class of the learning-rate schedulers, PyTorch's {@code _LRScheduler}. A scheduler counts
 * epochs in {@link #lastEpoch()}: construction performs the first step (epoch 0, setting the
 * initial learning rates), then each {@link #step()} advances one epoch and writes the new
 * learning rate into every parameter group. The first construction on an optimizer stores each
 * group's current lr as its {@code initial_lr} option, the schedulers' {@link #baseLrs()}.
 *
 * <pre>
 * Optimizer opt = new SGD(model.parameters(), 0.05);
 * LRScheduler sched = new StepLR(opt, 30, 0.1);   // 0.05 for 30 epochs, then 0.005, ...
 * for (int epoch = 0; epoch &lt; 100; epoch++) {
 *     train(model, opt);     // opt.zeroGrad(); loss.backward(); opt.step(); per batch
 *     sched.step();
 * }
 * </pre>
 *
 * <p>Subclasses compute the learning rates of all groups for {@link #lastEpoch()} in
 * {@link #computeLr()}, usually from the groups' current lr (PyTorch's "chainable" form), may give a
 * closed form in {@link #closedFormLr()}, and must call {@link #initialStep()} as the last statement
 * of their constructor (the computation reads their fields, which Java sets only after the base
 * constructor).
 */
public abstract class LRScheduler {
    private final Optimizer optimizer;
    private List<Double> baseLrs = List.of();
    private int lastEpoch = -1;
    private int stepCount;
    private List<Double> lastLr = List.of();
    private boolean started;

    /** A scheduler of {@code optimizer}'s learning rates; it does nothing until {@link #initialStep()}. */
    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    /**
     * Records the base learning rates (setting {@code initial_lr} where a group has none) and
     * performs the first step, to epoch 0. Call it at the end of the subclass constructor.
     */
    protected final void initialStep() {
        captureBaseLrs();
        started = true;
        stepCount = 0;
        step();
    }

    /** Advances one epoch and sets the learning rate of every group. */
    public void step() {
        if (!started) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " did not call initialStep() at the end of its constructor");
        }
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /**
     * The learning rate of each group (one per {@link #baseLrs()} entry) for {@link #lastEpoch()},
     * PyTorch's {@code get_lr()}; may also update other options (momentum, for OneCycleLR).
     */
    protected abstract double[] computeLr();

    /**
     * The learning rates for {@link #lastEpoch()} computed from the base learning rates alone;
     * {@link SequentialLR} uses it when it switches to this scheduler. Defaults to
     * {@link #computeLr()}.
     */
    protected double[] closedFormLr() {
        return computeLr();
    }

    /** The optimizer whose learning rates this scheduler sets. */
    public final Optimizer optimizer() {
        return optimizer;
    }

    /** The learning rate of each group after the last step (unmodifiable). */
    public List<Double> getLastLr() {
        return lastLr;
    }

    /** Each group's {@code initial_lr} when the scheduler started (unmodifiable). */
    public final List<Double> baseLrs() {
        return baseLrs;
    }

    /** The epoch of the last step: 0 after construction, then 1, 2, ... */
    public final int lastEpoch() {
        return lastEpoch;
    }

    /** How many times this scheduler has stepped, construction included. */
    protected final int stepCount() {
        return stepCount;
    }

    /** The number of groups scheduled: those the optimizer had when the scheduler started. */
    protected final int numGroups() {
        return Math.min(baseLrs.size(), optimizer.paramGroups().size());
    }

    /** Parameter group {@code i} of the optimizer. */
    protected final ParamGroup group(int i) {
        return optimizer.paramGroups().get(i);
    }

    /** The base learning rate of group {@code i}. */
    protected final double baseLr(int i) {
        return baseLrs.get(i);
    }

    /** Each scheduled group's current learning rate. */
    protected final double[] currentLrs() {
        double[] out = new double[numGroups()];
        for (int i = 0; i < out.length; i++) out[i] = group(i).lr();
        return out;
    }

    /**
     * The scheduler's progress: {@code last_epoch}, {@code _step_count}, {@code base_lrs},
     * {@code _last_lr} (PyTorch's names), as numbers and lists of numbers. The settings given to
     * the constructor are not included; restore into a scheduler built the same way, together
     * with the optimizer's own state dict (which holds the groups' learning rates).
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("last_epoch", lastEpoch);
        d.put("_step_count", stepCount);
        d.put("base_lrs", baseLrs);
        d.put("_last_lr", lastLr);
        return d;
    }

    /**
     * Restores {@link #stateDict()}.
     *
     * @throws IllegalArgumentException if an entry is missing or has the wrong type
     */
    public void loadStateDict(Map<String, ?> stateDict) {
        int epoch = intEntry(stateDict, "last_epoch");
        int count = intEntry(stateDict, "_step_count");
        List<Double> base = listEntry(stateDict, "base_lrs");
        List<Double> last = listEntry(stateDict, "_last_lr");
        lastEpoch = epoch;
        stepCount = count;
        baseLrs = base;
        lastLr = last;
        started = true;
    }

    // ------------------------------------------------------------------ for SequentialLR

    /** PyTorch's {@code step(epoch)}: jumps to {@code epoch} and uses the closed form. */
    void stepAt(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        apply(closedFormLr());
    }

    /** Undoes the epoch count of the construction step. */
    void rewind() {
        lastEpoch--;
    }

    /** PyTorch's {@code _initial_step()} on a started scheduler. */
    void restart() {
        stepCount = 0;
        step();
    }

    void captureBaseLrs() {
        List<Double> base = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            if (!g.has("initial_lr")) g.set("initial_lr", g.lr());
            base.add(g.getDouble("initial_lr"));
        }
        baseLrs = Collections.unmodifiableList(base);
    }

    void setLastEpoch(int epoch) {
        lastEpoch = epoch;
    }

    void setLastLr(List<Double> lrs) {
        lastLr = lrs;
    }

    void markStarted() {
        started = true;
    }

    private void apply(double[] lrs) {
        int n = Math.min(lrs.length, optimizer.paramGroups().size());
        for (int i = 0; i < n; i++) group(i).setLr(lrs[i]);
        List<Double> now = new ArrayList<>(optimizer.paramGroups().size());
        for (ParamGroup g : optimizer.paramGroups()) now.add(g.lr());
        lastLr = Collections.unmodifiableList(now);
    }

    static int intEntry(Map<String, ?> d, String key) {
        Object v = d.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("state dict entry '" + key + "' must be a number, got " + v);
        return n.intValue();
    }

    static double doubleEntry(Map<String, ?> d, String key) {
        Object v = d.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("state dict entry '" + key + "' must be a number, got " + v);
        return n.doubleValue();
    }

    static List<Double> listEntry(Map<String, ?> d, String key) {
        Object v = d.get(key);
        if (!(v instanceof List<?> l)) throw new IllegalArgumentException("state dict entry '" + key + "' must be a list, got " + v);
        List<Double> out = new ArrayList<>(l.size());
        for (Object x : l) {
            if (!(x instanceof Number n)) throw new IllegalArgumentException("state dict entry '" + key + "' must hold numbers, got " + x);
            out.add(n.doubleValue());
        }
        return Collections.unmodifiableList(out);
    }
}
