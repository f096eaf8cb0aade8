package org.kindling.nn;

import java.util.Iterator;
import java.util.List;

/**
 * A list of registered sub-modules ({@code nn.ModuleList}); unlike {@link Sequential} it has no
 * forward of its own.
 *
 * <pre>
 * var layers = new ModuleList();
 * for (int i = 0; i &lt; 3; i++) layers.add(new Linear(16, 16));
 * for (Module m : layers) x = m.forward(x);
 * </pre>
 */
public class ModuleList extends Module implements Iterable<Module> {
    private int count;

    public ModuleList(Module... modules) {
        for (Module m : modules) add(m);
    }

    public ModuleList(List<? extends Module> modules) {
        for (Module m : modules) add(m);
    }

    public ModuleList add(Module m) {
        register(Integer.toString(count++), m);
        return this;
    }

    public Module get(int i) {
        int n = size();
        int k = i < 0 ? i + n : i;
        if (k < 0 || k >= n) throw new IndexOutOfBoundsException("index " + i + " is out of range for ModuleList of size " + n);
        return children().get(k);
    }

    public int size() {
        return children().size();
    }

    @Override
    public Iterator<Module> iterator() {
        return children().iterator();
    }
}
