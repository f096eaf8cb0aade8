package org.kindling.plugin.hub.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.kindling.plugin.HubException;
import org.kindling.plugin.ModelStore;
import org.kindling.plugin.RunRequest;
import org.kindling.plugin.RunStatus;
import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadDescriptor;
import org.kindling.plugin.WorkloadResult;
import org.kindling.plugin.WorkloadRun;
import org.kindling.plugin.WorkloadRunner;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Tracks every {@link Workload} service (the whiteboard pattern) and runs workloads on a bounded pool.
 *
 * <p>Isolation: a workload that throws gives a FAILED result with the exception; one that runs past its timeout is
 * interrupted and reported TIMED_OUT at once; one whose plugin goes away during the run is reported FAILED. A
 * thread that ignores interruption cannot be killed in Java, so after a grace period the pool grows by one thread
 * to keep its capacity, and shrinks back if the thread ever returns.
 *
 * <p>Settings (framework properties): {@code kindling.runner.threads} (default 2), {@code kindling.runner.queue}
 * (runs waiting, default 64), {@code kindling.runner.timeout.seconds} (default 3600), {@code kindling.runs.dir}.
 */
@Component(service = WorkloadRunner.class)
public class WorkloadRunnerImpl implements WorkloadRunner {

    private static final int REMEMBERED_RUNS = 1000;
    private static final long STUCK_GRACE_MILLIS = 2000;

    private final Map<Long, Entry> workloads = new ConcurrentHashMap<>();
    private final Map<String, Run> runs = new LinkedHashMap<>();
    private final Set<Run> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<Run> compensated = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger stuckThreads = new AtomicInteger();

    @Reference
    private ModelStore models;

    private BundleContext context;
    private ThreadPoolExecutor executor;
    private ScheduledExecutorService timer;
    private Path runsDir;
    private Duration defaultTimeout;

    /** A registered workload and its descriptor. */
    private record Entry(ServiceReference<Workload> reference, WorkloadDescriptor descriptor) {
    }

    @Activate
    void activate(BundleContext context) throws IOException {
        this.context = context;
        int threads = intProperty(context, "kindling.runner.threads", 2);
        int queue = intProperty(context, "kindling.runner.queue", 64);
        defaultTimeout = Duration.ofSeconds(intProperty(context, "kindling.runner.timeout.seconds", 3600));
        String dir = context.getProperty("kindling.runs.dir");
        String home = context.getProperty("kindling.home");
        runsDir = Path.of(dir != null ? dir : Path.of(home == null ? "kindling-home" : home, "runs").toString());
        Files.createDirectories(runsDir);
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queue),
                threadFactory("kindling-run-"));
        executor.prestartAllCoreThreads();
        java.util.concurrent.ScheduledThreadPoolExecutor scheduler =
                new java.util.concurrent.ScheduledThreadPoolExecutor(1, threadFactory("kindling-run-timer-"));
        scheduler.setRemoveOnCancelPolicy(true);
        timer = scheduler;
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        for (WorkloadRun run : runs()) {
            ((Run) run).finish(((Run) run).terminal(RunStatus.FAILED, "the hub stopped during the run", List.of()));
        }
        executor.shutdownNow();
        timer.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC, service = Workload.class)
    void addWorkload(ServiceReference<Workload> reference) {
        Bundle bundle = reference.getBundle();
        if (bundle == null) {
            return;
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String key : reference.getPropertyKeys()) {
            properties.put(key, reference.getProperty(key));
        }
        try {
            WorkloadDescriptor d = WorkloadDescriptor.fromProperties(properties, bundle.getSymbolicName(),
                    bundle.getVersion().toString());
            workloads.put(serviceId(reference), new Entry(reference, d));
        } catch (IllegalArgumentException e) {
            // PluginManagerImpl reports the same problem for the bundle; the workload is simply not offered.
        }
    }

    void removeWorkload(ServiceReference<Workload> reference) {
        long id = serviceId(reference);
        Entry gone = workloads.remove(id);
        if (gone == null) {
            return;
        }
        String why = "plugin " + gone.descriptor().plugin() + " " + gone.descriptor().pluginVersion()
                + " went away during the run (updated, stopped or uninstalled)";
        for (WorkloadRun run : runs()) {
            Run r = (Run) run;
            if (r.serviceId() == id && r.finish(r.terminal(RunStatus.FAILED, why, List.of()))) {
                scheduleStuckCheck(r);
            }
        }
    }

    @Override
    public List<WorkloadDescriptor> list() {
        Map<String, Entry> best = new LinkedHashMap<>();
        for (Entry e : workloads.values()) {
            best.merge(e.descriptor().id(), e, (a, b) -> a.reference().compareTo(b.reference()) >= 0 ? a : b);
        }
        return best.values().stream().map(Entry::descriptor).sorted(Comparator.comparing(WorkloadDescriptor::id))
                .collect(Collectors.toList());
    }

    @Override
    public Optional<WorkloadDescriptor> describe(String workloadId) {
        return entry(workloadId).map(Entry::descriptor);
    }

    private Optional<Entry> entry(String workloadId) {
        // Highest service ranking wins, then the lowest service id (ServiceReference's natural order).
        return workloads.values().stream().filter(e -> e.descriptor().id().equals(workloadId))
                .max((a, b) -> a.reference().compareTo(b.reference()));
    }

    @Override
    public WorkloadRun start(String workloadId, RunRequest request) {
        Entry entry = entry(workloadId).orElseThrow(() -> new HubException(HubException.Kind.NOT_FOUND,
                "unknown workload '" + workloadId + "'; available: " + knownIds()));
        Map<String, Object> options = entry.descriptor().resolveOptions(request.options());
        String runId = sequence.incrementAndGet() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24) | (1 << 24)).substring(1);
        Path outputDir = request.outputDir() != null ? request.outputDir() : runsDir.resolve(runId);
        try {
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.FAILED, "cannot create the run's output folder " + outputDir + ": " + e);
        }
        Run run = new Run(runId, workloadId, serviceId(entry.reference()));
        RunContext runContext = new RunContext(run, options, request.seed() == null ? 0L : request.seed(), outputDir,
                models, new RunLog(outputDir.resolve("run.log")));
        remember(run);
        try {
            executor.execute(() -> execute(run, entry, runContext));
        } catch (RejectedExecutionException e) {
            run.finish(run.terminal(RunStatus.FAILED, "rejected: the run queue is full", List.of()));
            throw new HubException(HubException.Kind.UNAVAILABLE, "the run queue is full ("
                    + executor.getQueue().size() + " runs waiting); retry later");
        }
        Duration timeout = request.timeout() != null ? request.timeout() : defaultTimeout;
        java.util.concurrent.ScheduledFuture<?> timeoutTask = timer.schedule(() -> {
            if (run.finish(run.terminal(RunStatus.TIMED_OUT, "timed out after " + timeout.toMillis() + " ms", List.of()))) {
                scheduleStuckCheck(run);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        run.completion().thenRun(() -> timeoutTask.cancel(false));
        return run;
    }

    private void execute(Run run, Entry entry, RunContext runContext) {
        if (!run.begin(Thread.currentThread())) {
            return;
        }
        inFlight.add(run);
        Workload workload = null;
        try {
            workload = context.getService(entry.reference());
            if (workload == null) {
                run.finish(run.terminal(RunStatus.FAILED, "plugin " + entry.descriptor().plugin()
                        + " went away before the run started", List.of()));
                return;
            }
            WorkloadResult result = workload.run(runContext);
            if (result == null) {
                run.finish(run.terminal(RunStatus.FAILED, "workload '" + run.workloadId() + "' returned no result",
                        List.of()));
            } else {
                Map<String, Double> metrics = new LinkedHashMap<>(run.metrics());
                metrics.putAll(result.metrics());
                run.finish(new WorkloadResult(result.status(), result.message(), metrics, result.artifacts()));
            }
        } catch (CancellationException e) {
            run.finish(run.terminal(RunStatus.CANCELLED, e.getMessage(), List.of()));
        } catch (InterruptedException e) {
            run.finish(run.terminal(RunStatus.CANCELLED, "interrupted", List.of()));
        } catch (Throwable t) { // isolation: whatever a plugin throws, including LinkageError, becomes a result
            run.finish(run.terminal(RunStatus.FAILED, describe(t), List.of()));
        } finally {
            run.detach();
            inFlight.remove(run);
            if (workload != null) {
                try {
                    context.ungetService(entry.reference());
                } catch (IllegalStateException ignored) {
                    // the hub is stopping
                }
            }
            Thread.interrupted();
            if (compensated.remove(run)) {
                resizePool(-1);
                stuckThreads.decrementAndGet();
            }
        }
    }

    /** If the run's thread is still inside the workload after the grace period, add a thread to the pool. */
    private void scheduleStuckCheck(Run run) {
        try {
            timer.schedule(() -> {
                if (inFlight.contains(run) && compensated.add(run)) {
                    stuckThreads.incrementAndGet();
                    resizePool(+1);
                    if (!inFlight.contains(run) && compensated.remove(run)) {
                        stuckThreads.decrementAndGet();
                        resizePool(-1);
                    }
                }
            }, STUCK_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the hub is stopping
        }
    }

    private synchronized void resizePool(int delta) {
        if (delta > 0) {
            executor.setMaximumPoolSize(executor.getMaximumPoolSize() + delta);
            executor.setCorePoolSize(executor.getCorePoolSize() + delta);
        } else {
            executor.setCorePoolSize(executor.getCorePoolSize() + delta);
            executor.setMaximumPoolSize(executor.getMaximumPoolSize() + delta);
        }
    }

    /** @return threads still inside workloads that were cancelled or timed out */
    int stuckThreads() {
        return stuckThreads.get();
    }

    static String describe(Throwable t) {
        StringBuilder s = new StringBuilder(t.getClass().getSimpleName());
        if (t.getMessage() != null) {
            s.append(": ").append(t.getMessage());
        }
        for (StackTraceElement e : t.getStackTrace()) {
            if (!e.getClassName().startsWith("java.") && !e.getClassName().startsWith("jdk.")) {
                s.append(" (at ").append(e).append(')');
                break;
            }
        }
        return s.toString();
    }

    @Override
    public Optional<WorkloadRun> run(String runId) {
        synchronized (runs) {
            return Optional.ofNullable(runs.get(runId));
        }
    }

    @Override
    public List<WorkloadRun> runs() {
        synchronized (runs) {
            List<WorkloadRun> all = new ArrayList<>(runs.values());
            java.util.Collections.reverse(all);
            return all;
        }
    }

    @Override
    public boolean cancel(String runId) {
        Run run;
        synchronized (runs) {
            run = runs.get(runId);
        }
        if (run == null) {
            throw new HubException(HubException.Kind.NOT_FOUND, "unknown run '" + runId + "'");
        }
        boolean cancelled = run.cancel();
        if (cancelled) {
            scheduleStuckCheck(run);
        }
        return cancelled;
    }

    private void remember(Run run) {
        synchronized (runs) {
            runs.put(run.id(), run);
            if (runs.size() > REMEMBERED_RUNS) {
                runs.values().removeIf(r -> r.status().isTerminal() && runs.size() > REMEMBERED_RUNS);
            }
        }
    }

    private String knownIds() {
        List<String> ids = list().stream().map(WorkloadDescriptor::id).collect(Collectors.toList());
        return ids.isEmpty() ? "(none)" : String.join(", ", ids);
    }

    private static long serviceId(ServiceReference<?> reference) {
        return (Long) reference.getProperty(Constants.SERVICE_ID);
    }

    private static int intProperty(BundleContext context, String key, int fallback) {
        String v = context.getProperty(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("framework property " + key + " must be an integer, got '" + v + "'");
        }
    }

    private static ThreadFactory threadFactory(String prefix) {
        AtomicInteger n = new AtomicInteger();
        ClassLoader hubLoader = WorkloadRunnerImpl.class.getClassLoader();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(hubLoader);
            return t;
        };
    }
}
