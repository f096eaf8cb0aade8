package org.kindling.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HttpMetricsTest {
    @Test
    void histogramBucketsAreCumulativeAndSumIsSeconds() {
        HttpMetrics m = new HttpMetrics();
        m.record("GET", "/health", 200, 500_000);        // 0.5 ms
        m.record("GET", "/health", 200, 30_000_000);     // 30 ms
        m.record("GET", "/health", 503, 20_000_000_000L); // 20 s: only +Inf
        StringBuilder out = new StringBuilder();
        m.writeTo(out);
        String text = out.toString();
        assertTrue(text.contains("kindling_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"} 2\n"), text);
        assertTrue(text.contains("kindling_http_requests_total{method=\"GET\",route=\"/health\",status=\"503\"} 1\n"), text);
        assertTrue(text.contains("kindling_http_request_duration_seconds_bucket{route=\"/health\",le=\"0.001\"} 1\n"), text);
        assertTrue(text.contains("kindling_http_request_duration_seconds_bucket{route=\"/health\",le=\"0.025\"} 1\n"), text);
        assertTrue(text.contains("kindling_http_request_duration_seconds_bucket{route=\"/health\",le=\"0.05\"} 2\n"), text);
        assertTrue(text.contains("kindling_http_request_duration_seconds_bucket{route=\"/health\",le=\"10.0\"} 2\n"), text);
        assertTrue(text.contains("kindling_http_request_duration_seconds_bucket{route=\"/health\",le=\"+Inf\"} 3\n"), text);
        assertTrue(text.contains("kindling_http_request_duration_seconds_sum{route=\"/health\"} 20.0305\n"), text);
        assertEquals(2, m.count("/health", 200));
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\\b\\\"c\\nd", HttpMetrics.escape("a\\b\"c\nd"));
    }
}
