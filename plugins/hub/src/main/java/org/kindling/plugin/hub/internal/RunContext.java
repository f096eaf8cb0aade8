package org.kindling.plugin.hub.internal;

import java.nio.file.Path;
import java.util.Map;

import org.kindling.plugin.ModelStore;
import org.kindling.plugin.WorkloadContext;

/** The context a workload sees: typed options checked once before the run, and sinks into its {@link Run}. */
final class RunContext implements WorkloadContext {

    private final Run run;
    private final Map<String, Object> options;
    private final long seed;
    private final Path outputDir;
    private final ModelStore models;
    private final RunLog log;

    RunContext(Run run, Map<String, Object> options, long seed, Path outputDir, ModelStore models, RunLog log) {
        this.run = run;
        this.options = Map.copyOf(options);
        this.seed = seed;
        this.outputDir = outputDir;
        this.models = models;
        this.log = log;
    }

    @Override
    public String runId() {
        return run.id();
    }

    @Override
    public String workloadId() {
        return run.workloadId();
    }

    @Override
    public Map<String, Object> options() {
        return options;
    }

    private Object option(String name) {
        Object v = options.get(name);
        if (v == null) {
            throw new IllegalArgumentException("workload '" + run.workloadId() + "' has no option '" + name
                    + "'; declared: " + options.keySet());
        }
        return v;
    }

    private IllegalArgumentException wrongType(String name, String wanted) {
        return new IllegalArgumentException("option '" + name + "' of workload '" + run.workloadId() + "' is a "
                + option(name).getClass().getSimpleName() + ", not " + wanted);
    }

    @Override
    public int intOption(String name) {
        if (option(name) instanceof Integer) {
            return (Integer) option(name);
        }
        throw wrongType(name, "an int");
    }

    @Override
    public long longOption(String name) {
        Object v = option(name);
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        throw wrongType(name, "a long");
    }

    @Override
    public double doubleOption(String name) {
        Object v = option(name);
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        throw wrongType(name, "a double");
    }

    @Override
    public boolean booleanOption(String name) {
        if (option(name) instanceof Boolean) {
            return (Boolean) option(name);
        }
        throw wrongType(name, "a boolean");
    }

    @Override
    public String stringOption(String name) {
        return option(name).toString();
    }

    @Override
    public Path pathOption(String name) {
        Object v = option(name);
        if (v instanceof Path) {
            return (Path) v;
        }
        if (v instanceof String) {
            return Path.of((String) v);
        }
        throw wrongType(name, "a path");
    }

    @Override
    public long seed() {
        return seed;
    }

    @Override
    public Path outputDir() {
        return outputDir;
    }

    @Override
    public void progress(double fraction, String message) {
        run.progress(fraction, message);
    }

    @Override
    public void metric(String name, double value) {
        run.metric(name, value);
    }

    @Override
    public void log(String line) {
        log.append(run.id(), line);
    }

    @Override
    public boolean isCancelled() {
        return run.isCancelled() || Thread.currentThread().isInterrupted();
    }

    @Override
    public ModelStore models() {
        return models;
    }
}
