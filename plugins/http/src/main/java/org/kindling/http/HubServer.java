package org.kindling.http;

import java.net.URI;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP API in a standalone Jetty 12 server: {@link KindlingServlet} mounted at {@code /}. This is what
 * {@code kindling serve} runs.
 *
 * <pre>
 * try (Hub hub = Hub.builder().home(home).start();
 *      HubServer server = HubServer.start(
 *              new HubServices(hub.workloads(), hub.models(), hub.predictions(), hub.plugins()),
 *              HttpSettings.defaults())) {
 *     System.out.println("listening on " + server.uri() + ", admin token " + server.settings().adminToken());
 *     server.join();
 * }
 * </pre>
 */
public final class HubServer implements AutoCloseable {

    // Held strongly: java.util.logging forgets the level of a logger that is garbage collected.
    private static final java.util.logging.Logger JETTY_LOG = java.util.logging.Logger.getLogger("org.eclipse.jetty");

    private final Server server;
    private final ServerConnector connector;
    private final HttpSettings settings;
    private final KindlingServlet servlet;

    private HubServer(Server server, ServerConnector connector, HttpSettings settings, KindlingServlet servlet) {
        this.server = server;
        this.connector = connector;
        this.settings = settings;
        this.servlet = servlet;
    }

    /**
     * Starts listening on {@link HttpSettings#host()}:{@link HttpSettings#port()}.
     *
     * @param services the hub's services
     * @param settings address, token and limits
     * @return the running server
     * @throws Exception when the port cannot be bound (the message names the address) or Jetty fails to start
     */
    public static HubServer start(HubServices services, HttpSettings settings) throws Exception {
        if (JETTY_LOG.getLevel() == null) {
            // Jetty's start-up lines at INFO would bury the CLI's own output; warnings still show.
            JETTY_LOG.setLevel(java.util.logging.Level.WARNING);
        }
        // The servlet bounds the work (503 beyond its limit); threads above that limit only answer those 503s,
        // health and metrics quickly. Jetty wants an unbounded job queue: a full one would drop connections.
        int maxThreads = settings.maxConcurrentRequests() + 8;
        QueuedThreadPool threads = new QueuedThreadPool(maxThreads, Math.min(4, maxThreads), 30_000);
        threads.setName("kindling-http");
        threads.setDaemon(true);
        Server server = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);

        KindlingServlet servlet = new KindlingServlet(services, settings);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder("kindling", servlet), "/*");
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        context.setErrorHandler(errors);
        server.setErrorHandler(errors);
        server.setHandler(context);
        server.setStopTimeout(5_000);
        try {
            server.start();
        } catch (java.io.IOException e) {
            server.stop();
            throw new java.io.IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + e.getMessage(), e);
        }
        return new HubServer(server, connector, settings, servlet);
    }

    /** @return the port listened on (the ephemeral one chosen when the settings said 0) */
    public int port() {
        return connector.getLocalPort();
    }

    /** @return {@code http://host:port/} */
    public URI uri() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /** @return the settings, including the admin token */
    public HttpSettings settings() {
        return settings;
    }

    /** @return the servlet, for its metrics */
    public KindlingServlet servlet() {
        return servlet;
    }

    /**
     * Blocks until the server stops.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    public void join() throws InterruptedException {
        server.join();
    }

    /** Stops listening, lets requests in progress finish (at most 5 s) and ends the server's threads. */
    public void stop() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP server on port " + port() + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
