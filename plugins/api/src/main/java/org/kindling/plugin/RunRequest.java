package org.kindling.plugin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How to run a workload: option values as text, an optional seed, timeout and output folder.
 *
 * <pre>
 * RunRequest request = RunRequest.of(Map.of("epochs", "5")).withSeed(42).withTimeout(Duration.ofMinutes(2));
 * </pre>
 *
 * @param options option name to value as text; checked against the workload's declared options
 * @param seed random seed, or null for the hub's default (0)
 * @param timeout how long the run may take, or null for the hub's default
 * @param outputDir where the run writes its files, or null for a fresh folder under the hub's runs folder
 */
public record RunRequest(Map<String, String> options, Long seed, Duration timeout, Path outputDir) {

    /** Copies the options and checks the timeout is positive. */
    public RunRequest {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(options, "options")));
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    /** @return a request with no options, the default seed, timeout and output folder */
    public static RunRequest defaults() {
        return new RunRequest(Map.of(), null, null, null);
    }

    /**
     * @param options option values as text
     * @return a request with those options and defaults for the rest
     */
    public static RunRequest of(Map<String, String> options) {
        return new RunRequest(options, null, null, null);
    }

    /** @param seed the seed @return a copy with that seed */
    public RunRequest withSeed(long seed) {
        return new RunRequest(options, seed, timeout, outputDir);
    }

    /** @param timeout the limit @return a copy with that timeout */
    public RunRequest withTimeout(Duration timeout) {
        return new RunRequest(options, seed, timeout, outputDir);
    }

    /** @param outputDir the folder @return a copy writing there */
    public RunRequest withOutputDir(Path outputDir) {
        return new RunRequest(options, seed, timeout, outputDir);
    }
}
