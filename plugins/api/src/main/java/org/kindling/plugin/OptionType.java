package org.kindling.plugin;

import java.nio.file.Path;

/** The type of a {@link WorkloadOption}: how its text value is parsed and checked. */
public enum OptionType {
    /** Any text. */
    STRING,
    /** A 32-bit integer, such as {@code 10}. */
    INT,
    /** A 64-bit integer. */
    LONG,
    /** A floating-point number, such as {@code 0.01} or {@code 1e-3}. */
    DOUBLE,
    /** {@code true} or {@code false} (case-insensitive). */
    BOOLEAN,
    /** A file-system path. */
    PATH;

    /**
     * Parses a value of this type.
     *
     * @param option the option's name, for the error message
     * @param text the value as text
     * @return an Integer, Long, Double, Boolean, String or {@link Path}
     * @throws HubException of kind {@link HubException.Kind#BAD_REQUEST} naming the option, the expected type and the text
     */
    public Object parse(String option, String text) {
        try {
            switch (this) {
                case INT: return Integer.valueOf(text.trim());
                case LONG: return Long.valueOf(text.trim());
                case DOUBLE: return Double.valueOf(text.trim());
                case BOOLEAN:
                    if (text.trim().equalsIgnoreCase("true")) return Boolean.TRUE;
                    if (text.trim().equalsIgnoreCase("false")) return Boolean.FALSE;
                    throw new IllegalArgumentException();
                case PATH: return Path.of(text);
                default: return text;
            }
        } catch (RuntimeException e) {
            throw new HubException(HubException.Kind.BAD_REQUEST,
                    "option '" + option + "' expects " + name().toLowerCase() + ", got '" + text + "'");
        }
    }
}
