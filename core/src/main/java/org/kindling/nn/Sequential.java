package org.kindling.nn;

import java.util.Iterator;
import java.util.List;
import org.kindling.tensor.Tensor;

/**
 * Modules applied one after another ({@code nn.Sequential}); children are named 0, 1, 2, ...
 *
 * <pre>
 * var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
 * Tensor logits = model.forward(x);
 * </pre>
 */
public class Sequential extends Module implements Iterable<Module> {
    private int count;

    public Sequential(Module... modules) {
        for (Module m : modules) add(m);
    }

    public Sequential(List<? extends Module> modules) {
        for (Module m : modules) add(m);
    }

    /** Appends a module. */
    public Sequential add(Module m) {
        register(Integer.toString(count++), m);
        return this;
    }

    /** The i-th module; negative counts from the end. */
    public Module get(int i) {
        int n = size();
        int k = i < 0 ? i + n : i;
        if (k < 0 || k >= n) throw new IndexOutOfBoundsException("index " + i + " is out of range for Sequential of size " + n);
        return children().get(k);
    }

    public int size() {
        return children().size();
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : children()) x = m.forward(x);
        return x;
    }

    @Override
    public Iterator<Module> iterator() {
        return children().iterator();
    }
}
