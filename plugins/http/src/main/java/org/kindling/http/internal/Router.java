package org.kindling.http.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Matches a method and a path such as {@code /models/mnist/predict} against templates such as
 * {@code /models/{name}/predict}. The template (not the raw path) names the route in metrics, so
 * label values stay bounded whatever clients send.
 *
 * @param <H> the handler type
 */
public final class Router<H> {

    /** A matched route: its template, its handler and the values of its path parameters. */
    public record Match<H>(String template, H handler, Map<String, String> params) {
        public String param(String name) {
            return params.get(name);
        }
    }

    private record Route<H>(String method, String template, String[] segments, H handler) {}

    private final List<Route<H>> routes = new ArrayList<>();

    public Router<H> add(String method, String template, H handler) {
        routes.add(new Route<>(method, template, split(template), handler));
        return this;
    }

    /**
     * Finds the route for {@code method} and {@code path}.
     *
     * @throws ApiException 404 when no template matches the path, 405 (with {@code Allow}) when
     *     templates match the path but not the method
     */
    public Match<H> match(String method, String path) {
        String[] segments = split(path);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route<H> route : routes) {
            Map<String, String> params = bind(route.segments(), segments);
            if (params == null) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Match<>(route.template(), route.handler(), params);
            }
            allowed.add(route.method());
        }
        if (allowed.isEmpty()) {
            throw ApiException.notFound("no route for " + method + " " + path);
        }
        return failMethod(method, path, allowed);
    }

    private static <H> Match<H> failMethod(String method, String path, Set<String> allowed) {
        String allow = String.join(", ", allowed);
        throw new ApiException(405, method + " is not allowed on " + path + "; allowed: " + allow)
                .header("Allow", allow);
    }

    private static Map<String, String> bind(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = new TreeMap<>();
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            if (t.startsWith("{") && t.endsWith("}")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                params.put(t.substring(1, t.length() - 1), path[i]);
            } else if (!t.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String[] split(String path) {
        String trimmed = path == null ? "" : path;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
    }
}
