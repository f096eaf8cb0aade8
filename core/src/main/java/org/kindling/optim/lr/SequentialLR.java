package org.kindling.optim.lr;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.kindling.optim.Optimizer;
import org.kindling.optim.ParamGroup;

/**
 * Runs schedulers one after the other, switching at the milestone epochs, as PyTorch's
 * {@code SequentialLR}: typically a warm-up followed by a decay. The schedulers must be built on
 * the same optimizer before this one; at each milestone the next scheduler starts from its own
 * epoch 0 (computed from the initial lr, in closed form where it has one).
 *
 * <pre>
 * LRScheduler warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * LRScheduler decay = new CosineAnnealingLR(opt, 95);
 * LRScheduler sched = new SequentialLR(opt, List.of(warmup, decay), 5);   // switch at epoch 5
 * </pre>
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    /**
     * Steps {@code schedulers.get(i)} from epoch {@code milestones[i - 1]} on.
     *
     * @throws IllegalArgumentException if a scheduler belongs to another optimizer or is itself a
     *     SequentialLR, or there is not one milestone fewer than schedulers, or the milestones do
     *     not increase
     */
    public SequentialLR(Optimizer optimizer, List<? extends LRScheduler> schedulers, int... milestones) {
        super(optimizer);
        Objects.requireNonNull(schedulers, "schedulers");
        Objects.requireNonNull(milestones, "milestones");
        if (schedulers.isEmpty()) throw new IllegalArgumentException("SequentialLR needs at least one scheduler");
        for (int i = 0; i < schedulers.size(); i++) {
            LRScheduler s = schedulers.get(i);
            if (s.optimizer() != optimizer) {
                throw new IllegalArgumentException("Sequential Schedulers expects all schedulers to belong to the same "
                        + "optimizer, but got schedulers at index " + i + " to be different than the optimizer passed in.");
            }
            if (s instanceof SequentialLR) {
                throw new IllegalArgumentException("scheduler at index " + i + " is a SequentialLR, which cannot be nested");
            }
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("Sequential Schedulers expects number of schedulers provided to be one "
                    + "more than the number of milestone points, but got number of schedulers " + schedulers.size()
                    + " and the number of milestones to be equal to " + milestones.length);
        }
        for (int i = 1; i < milestones.length; i++) {
            if (milestones[i] <= milestones[i - 1]) {
                throw new IllegalArgumentException("milestones must increase, got " + java.util.Arrays.toString(milestones));
            }
        }
        this.schedulers = List.copyOf(new ArrayList<>(schedulers));
        this.milestones = milestones.clone();

        // As PyTorch: back to the initial lrs, undo the construction step of every scheduler,
        // and start the first one again.
        captureBaseLrs();
        setLastEpoch(0);
        for (ParamGroup g : optimizer.paramGroups()) g.setLr(g.getDouble("initial_lr"));
        for (LRScheduler s : this.schedulers) s.rewind();
        this.schedulers.get(0).restart();
        setLastLr(this.schedulers.get(0).getLastLr());
        markStarted();
    }

    /** The wrapped schedulers (unmodifiable). */
    public List<LRScheduler> schedulers() {
        return schedulers;
    }

    @Override
    public void step() {
        setLastEpoch(lastEpoch() + 1);
        int idx = 0;
        while (idx < milestones.length && milestones[idx] <= lastEpoch()) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch()) s.stepAt(0);
        else s.step();
        setLastLr(s.getLastLr());
    }

    /** Not used: {@link #step()} delegates to the current scheduler. */
    @Override
    protected double[] computeLr() {
        throw new UnsupportedOperationException("SequentialLR delegates to its schedulers");
    }

    /** {@inheritDoc} Also holds each wrapped scheduler's state dict, under {@code _schedulers}. */
    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> d = super.stateDict();
        List<Map<String, Object>> inner = new ArrayList<>();
        for (LRScheduler s : schedulers) inner.add(s.stateDict());
        d.put("_schedulers", inner);
        return d;
    }

    @Override
    public void loadStateDict(Map<String, ?> stateDict) {
        Object inner = stateDict.get("_schedulers");
        if (!(inner instanceof List<?> l) || l.size() != schedulers.size()) {
            throw new IllegalArgumentException("state dict entry '_schedulers' must hold " + schedulers.size()
                    + " state dicts, got " + inner);
        }
        for (Object o : l) {
            if (!(o instanceof Map)) throw new IllegalArgumentException("'_schedulers' must hold maps, got " + o);
        }
        super.loadStateDict(stateDict);
        for (int i = 0; i < schedulers.size(); i++) {
            @SuppressWarnings("unchecked")
            Map<String, ?> m = (Map<String, ?>) l.get(i);
            schedulers.get(i).loadStateDict(m);
        }
    }
}
