package org.kindling.http;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.kindling.http.internal.AdminToken;
import org.kindling.http.internal.ApiException;
import org.kindling.http.internal.Bodies;
import org.kindling.http.internal.Exchange;
import org.kindling.http.internal.HttpMetrics;
import org.kindling.http.internal.Routes;
import org.kindling.http.internal.Router;

/**
 * The Kindling HTTP API as one Jakarta servlet: JSON over HTTP for plugins, workloads, runs, models, predictions and
 * metrics. {@link HubServer} mounts it in a standalone Jetty; an application server mounts it like any servlet,
 * under any path ({@code /kindling/*} below), with the hub's services given to the constructor or put in the
 * servlet context attribute {@value #SERVICES_ATTRIBUTE} before the servlet initializes.
 *
 * <pre>
 * ServletContextHandler context = new ServletContextHandler("/");
 * context.addServlet(new ServletHolder(new KindlingServlet(services, HttpSettings.defaults())), "/kindling/*");
 * </pre>
 *
 * <p>Requests beyond {@link HttpSettings#maxConcurrentRequests()} get 503 with {@code Retry-After} (health and
 * metrics are always served); bodies over the limit get 413, malformed JSON 400 naming the problem, unknown routes
 * 404, and no response ever contains a stack trace: unexpected failures are logged here and answered with a
 * reference the log line carries.
 */
public class KindlingServlet extends HttpServlet {

    /** Servlet context attribute holding the {@link HubServices} for the no-argument constructor. */
    public static final String SERVICES_ATTRIBUTE = "org.kindling.http.HubServices";

    /** Servlet context attribute holding optional {@link HttpSettings} for the no-argument constructor. */
    public static final String SETTINGS_ATTRIBUTE = "org.kindling.http.HttpSettings";

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(KindlingServlet.class.getName());

    private transient HubServices services;
    private transient HttpSettings settings;
    private transient Router<Routes.Handler> router;
    private transient Semaphore permits;
    private transient HttpMetrics metrics;
    private transient Bodies bodies;
    private transient AdminToken adminToken;

    /** For application servers: services and settings come from the servlet context attributes at init. */
    public KindlingServlet() {
    }

    /**
     * @param services the hub's services
     * @param settings limits, admin token and whether installs are allowed
     */
    public KindlingServlet(HubServices services, HttpSettings settings) {
        configure(services, settings);
    }

    @Override
    public void init() throws ServletException {
        if (services != null) {
            return;
        }
        Object s = getServletContext().getAttribute(SERVICES_ATTRIBUTE);
        if (!(s instanceof HubServices)) {
            throw new ServletException("KindlingServlet needs the hub's services: construct it with them or set the"
                    + " servlet context attribute " + SERVICES_ATTRIBUTE + " to a HubServices; found " + s);
        }
        Object h = getServletContext().getAttribute(SETTINGS_ATTRIBUTE);
        configure((HubServices) s, h instanceof HttpSettings ? (HttpSettings) h : HttpSettings.defaults());
    }

    private void configure(HubServices services, HttpSettings settings) {
        this.services = services;
        this.settings = settings;
        this.metrics = new HttpMetrics();
        this.bodies = new Bodies(settings.maxBodyBytes());
        this.adminToken = new AdminToken(settings.adminToken());
        this.permits = new Semaphore(settings.maxConcurrentRequests());
        this.metrics.concurrency(settings.maxConcurrentRequests(), permits::availablePermits);
        this.router = Routes.build(services, settings, bodies, adminToken, metrics);
    }

    /** @return the request counters and latency histograms this servlet keeps */
    public HttpMetrics metrics() {
        return metrics;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        String method = request.getMethod();
        String path = request.getPathInfo() != null ? request.getPathInfo() : request.getServletPath();
        String route = "unmatched";
        boolean permitted = false;
        Exchange exchange = new Exchange(request, response, bodies.mapper());
        try {
            Router.Match<Routes.Handler> match = router.match(method, path);
            route = match.template();
            if (!Routes.isUnlimited(route)) {
                permitted = permits.tryAcquire();
                if (!permitted) {
                    metrics.recordOverload();
                    throw new ApiException(503, "the server is at its limit of " + settings.maxConcurrentRequests()
                            + " concurrent requests; retry after " + settings.retryAfterSeconds() + " s")
                            .header("Retry-After", Integer.toString(settings.retryAfterSeconds()));
                }
            }
            match.handler().handle(exchange, match);
        } catch (ApiException e) {
            exchange.error(e.status(), e.getMessage(), e.headers());
        } catch (org.kindling.plugin.HubException e) {
            ApiException mapped = Routes.map(e, settings);
            exchange.error(mapped.status(), mapped.getMessage(), mapped.headers());
        } catch (IOException e) {
            // The client went away or sent a broken body; nothing useful can be written back.
            LOG.log(Level.FINE, "I/O error serving " + method + " " + path, e);
            exchange.errorIfOpen(400, "could not read the request: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            String reference = Long.toHexString(System.nanoTime());
            LOG.log(Level.SEVERE, "failed to serve " + method + " " + path + " (reference " + reference + ")", e);
            exchange.errorIfOpen(500, "internal error serving " + method + " " + route
                    + "; the server log has the details under reference " + reference);
        } finally {
            if (permitted) {
                permits.release();
            }
            metrics.record(method, route, exchange.status(), System.nanoTime() - start);
        }
    }
}
