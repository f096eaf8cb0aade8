package org.kindling.plugin;

import java.util.Locale;
import java.util.Objects;

/**
 * One typed option of a workload: name, type, default value (absent when the option is required) and help.
 *
 * <p>Workloads declare options as strings in the {@link Workload#OPTIONS} service property, in the syntax
 * {@code name:type[=default] help text}. The type is one of {@link OptionType} in lower case; the default, if any,
 * runs to the first space (write {@code name:string=} for an empty default); the help is the rest.
 *
 * <pre>
 * WorkloadOption epochs = WorkloadOption.parse("epochs:int=3 Passes over the training data");
 * epochs.name();          // "epochs"
 * epochs.type();          // OptionType.INT
 * epochs.defaultValue();  // "3"
 * epochs.required();      // false
 * epochs.help();          // "Passes over the training data"
 * </pre>
 *
 * @param name the option's name, letters, digits, '.', '-' and '_'
 * @param type how the value is parsed
 * @param defaultValue the default as text, or null when the option is required
 * @param help one line of help, possibly empty
 */
public record WorkloadOption(String name, OptionType type, String defaultValue, String help) {

    /** Checks the name and type; the help is never null. */
    public WorkloadOption {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("option name must match [A-Za-z0-9._-]+, got '" + name + "'");
        }
        help = help == null ? "" : help;
        if (defaultValue != null) {
            type.parse(name, defaultValue);
        }
    }

    /** @return true when the option has no default, so every run must give it */
    public boolean required() {
        return defaultValue == null;
    }

    /**
     * Parses one option specification.
     *
     * @param spec {@code name:type[=default] help}, for example {@code "lr:double=0.01 Learning rate"}
     * @return the option
     * @throws IllegalArgumentException naming the specification when it does not follow the syntax
     */
    public static WorkloadOption parse(String spec) {
        String s = spec.strip();
        int colon = s.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("option spec must look like 'name:type[=default] help', got '" + spec + "'");
        }
        String name = s.substring(0, colon);
        int space = s.indexOf(' ', colon);
        String typeAndDefault = space < 0 ? s.substring(colon + 1) : s.substring(colon + 1, space);
        String help = space < 0 ? "" : s.substring(space + 1).strip();
        int eq = typeAndDefault.indexOf('=');
        String typeName = eq < 0 ? typeAndDefault : typeAndDefault.substring(0, eq);
        String defaultValue = eq < 0 ? null : typeAndDefault.substring(eq + 1);
        OptionType type;
        try {
            type = OptionType.valueOf(typeName.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option spec '" + spec + "': unknown type '" + typeName
                    + "', expected one of string, int, long, double, boolean, path");
        }
        return new WorkloadOption(name, type, defaultValue, help);
    }

    /** @return the specification this option parses from */
    public String spec() {
        return name + ":" + type.name().toLowerCase(Locale.ROOT) + (defaultValue == null ? "" : "=" + defaultValue)
                + (help.isEmpty() ? "" : " " + help);
    }
}
