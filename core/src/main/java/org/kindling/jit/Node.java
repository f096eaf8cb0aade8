package org.kindling.jit;

import java.util.List;
import java.util.Objects;

/**
 * One operation of a {@link Graph}: an ONNX operator name and domain, an optional node name, ordered inputs
 * (an omitted optional input is {@link Value#absent()}), outputs and {@link Attributes}. Immutable.
 *
 * <pre>
 * Node n = new Node("Softmax", "", "probs", List.of(logits), List.of(Value.of("p")),
 *         Attributes.builder().put("axis", -1).build());
 * </pre>
 */
public final class Node {

    private final String opType;
    private final String domain;
    private final String name;
    private final List<Value> inputs;
    private final List<Value> outputs;
    private final Attributes attributes;

    public Node(String opType, String domain, String name, List<Value> inputs, List<Value> outputs, Attributes attributes) {
        if (opType == null || opType.isEmpty()) throw new IllegalArgumentException("node '" + name + "': op type must not be empty");
        this.opType = opType;
        this.domain = normalizeDomain(domain);
        this.name = name == null ? "" : name;
        this.inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        this.outputs = List.copyOf(Objects.requireNonNull(outputs, "outputs"));
        this.attributes = attributes == null ? Attributes.empty() : attributes;
    }

    /** ONNX's default domain is written "" or "ai.onnx"; both become "". */
    static String normalizeDomain(String domain) {
        return domain == null || domain.equals("ai.onnx") ? "" : domain;
    }

    public String opType() {
        return opType;
    }

    /** "" for the default ONNX domain. */
    public String domain() {
        return domain;
    }

    /** The node's name, possibly empty. */
    public String name() {
        return name;
    }

    public List<Value> inputs() {
        return inputs;
    }

    public List<Value> outputs() {
        return outputs;
    }

    public Attributes attributes() {
        return attributes;
    }

    /** The i-th input, or {@link Value#absent()} when omitted or beyond the list. */
    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : Value.absent();
    }

    /** True when the i-th input is given (not omitted). */
    public boolean hasInput(int i) {
        return !input(i).isAbsent();
    }

    public Value output(int i) {
        return outputs.get(i);
    }

    /** A short label for error messages: {@code Conv node 'conv1'} or {@code Conv node #3 (output 'y')}. */
    public String describe() {
        String label = (domain.isEmpty() ? "" : domain + ".") + opType + " node";
        if (!name.isEmpty()) return label + " '" + name + "'";
        for (Value v : outputs) if (!v.isAbsent()) return label + " (output '" + v.name() + "')";
        return label;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(outputs.stream().map(v -> v.isAbsent() ? "_" : v.name()).toList()).append(" = ");
        sb.append(domain.isEmpty() ? "" : domain + ".").append(opType);
        if (!attributes.isEmpty()) sb.append(attributes);
        sb.append(inputs.stream().map(v -> v.isAbsent() ? "_" : v.name()).toList());
        if (!name.isEmpty()) sb.append("  # ").append(name);
        return sb.toString();
    }
}
