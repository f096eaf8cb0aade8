package org.kindling.http.internal;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Request counters and a latency histogram per route, written in the Prometheus text exposition
 * format (version 0.0.4). Label values are route templates, methods and status codes, never raw
 * paths, so the number of series stays bounded.
 */
public final class HttpMetrics {

    /** Upper bounds of the latency buckets, in seconds. */
    static final double[] BUCKETS = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private record RequestKey(String method, String route, int status) {}

    private static final class Histogram {
        final AtomicLongArray counts = new AtomicLongArray(BUCKETS.length + 1);
        final AtomicLong sumNanos = new AtomicLong();

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            int i = 0;
            while (i < BUCKETS.length && seconds > BUCKETS[i]) {
                i++;
            }
            counts.incrementAndGet(i);
            sumNanos.addAndGet(nanos);
        }
    }

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final LongAdder rejectedOverload = new LongAdder();
    private int concurrencyLimit;
    private IntSupplier availablePermits = () -> 0;

    /** Reports the concurrency limit and, through {@code availablePermits}, how much of it is in use. */
    public void concurrency(int limit, IntSupplier availablePermits) {
        this.concurrencyLimit = limit;
        this.availablePermits = availablePermits;
    }

    public void record(String method, String route, int status, long nanos) {
        requests.computeIfAbsent(new RequestKey(method, route, status), k -> new LongAdder()).increment();
        latency.computeIfAbsent(route, k -> new Histogram()).observe(nanos);
    }

    public void recordOverload() {
        rejectedOverload.increment();
    }

    /** The total of requests counted so far for {@code route} with {@code status}, any method. */
    public long count(String route, int status) {
        return requests.entrySet().stream()
                .filter(e -> e.getKey().route().equals(route) && e.getKey().status() == status)
                .mapToLong(e -> e.getValue().sum())
                .sum();
    }

    /** Writes the HTTP series; callers append their own gauges with {@link #gauge}. */
    public void writeTo(StringBuilder out) {
        out.append("# HELP kindling_http_requests_total HTTP requests served, by method, route and status.\n");
        out.append("# TYPE kindling_http_requests_total counter\n");
        new TreeMap<String, Long>(sortedRequests()).forEach((labels, n) ->
                out.append("kindling_http_requests_total").append(labels).append(' ').append(n).append('\n'));

        out.append("# HELP kindling_http_request_duration_seconds Time to serve a request, by route.\n");
        out.append("# TYPE kindling_http_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((route, h) -> {
            long cumulative = 0;
            for (int i = 0; i <= BUCKETS.length; i++) {
                cumulative += h.counts.get(i);
                String le = i < BUCKETS.length ? Double.toString(BUCKETS[i]) : "+Inf";
                out.append("kindling_http_request_duration_seconds_bucket{route=\"").append(escape(route))
                        .append("\",le=\"").append(le).append("\"} ").append(cumulative).append('\n');
            }
            out.append("kindling_http_request_duration_seconds_sum{route=\"").append(escape(route)).append("\"} ")
                    .append(h.sumNanos.get() / 1e9).append('\n');
            out.append("kindling_http_request_duration_seconds_count{route=\"").append(escape(route)).append("\"} ")
                    .append(cumulative).append('\n');
        });

        out.append("# HELP kindling_http_overload_rejections_total Requests refused with 503 because the server was at its concurrency limit.\n");
        out.append("# TYPE kindling_http_overload_rejections_total counter\n");
        out.append("kindling_http_overload_rejections_total ").append(rejectedOverload.sum()).append('\n');
        gauge(out, "kindling_http_concurrency_limit", "Requests served at once before 503s (health and metrics excepted).",
                Map.of(Map.of(), concurrencyLimit));
        gauge(out, "kindling_http_concurrency_in_use", "Requests being served now that count against the limit.",
                Map.of(Map.of(), concurrencyLimit - availablePermits.getAsInt()));
    }

    private Map<String, Long> sortedRequests() {
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put("{method=\"" + escape(k.method()) + "\",route=\"" + escape(k.route())
                + "\",status=\"" + k.status() + "\"}", v.sum()));
        return sorted;
    }

    /**
     * Appends one gauge family: {@code values} maps a label set, such as {@code Map.of("state", "ACTIVE")},
     * to its value.
     */
    public static void gauge(StringBuilder out, String name, String help, Map<Map<String, String>, ? extends Number> values) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        values.forEach((labels, value) -> {
            out.append(name);
            if (!labels.isEmpty()) {
                out.append('{');
                String sep = "";
                for (Map.Entry<String, String> l : new TreeMap<>(labels).entrySet()) {
                    out.append(sep).append(l.getKey()).append("=\"").append(escape(l.getValue())).append('"');
                    sep = ",";
                }
                out.append('}');
            }
            out.append(' ').append(value).append('\n');
        });
    }

    static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
