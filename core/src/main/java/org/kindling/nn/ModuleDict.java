package org.kindling.nn;

import java.util.Map;
import java.util.Set;

/**
 * Sub-modules by name, in insertion order ({@code nn.ModuleDict}).
 *
 * <pre>
 * var heads = new ModuleDict();
 * heads.put("cls", new Linear(64, 10));
 * heads.get("cls").forward(h);
 * </pre>
 */
public class ModuleDict extends Module {

    public ModuleDict() {}

    public ModuleDict(Map<String, ? extends Module> modules) {
        modules.forEach(this::put);
    }

    public ModuleDict put(String name, Module m) {
        register(name, m);
        return this;
    }

    public Module get(String name) {
        Module m = namedChildren().get(name);
        if (m == null) throw new IllegalArgumentException("no module named '" + name + "'; have " + keySet());
        return m;
    }

    public boolean containsKey(String name) {
        return namedChildren().containsKey(name);
    }

    public Set<String> keySet() {
        return namedChildren().keySet();
    }

    public int size() {
        return namedChildren().size();
    }
}
