package org.kindling.hub.cli;

import java.util.concurrent.Callable;

import org.kindling.http.HttpSettings;
import org.kindling.http.HubServer;
import org.kindling.http.HubServices;
import org.kindling.hub.Hub;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kindling serve}: the hub with its HTTP API, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Start the hub and serve its JSON HTTP API (loopback by default) until Ctrl-C.",
                "Settings come from <home>/http.properties and KINDLING_ADMIN_TOKEN; options override them."})
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    KindlingCommand root;

    @Option(names = "--port", paramLabel = "PORT", description = "Port (default 8080; 0 picks a free one).")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind (default 127.0.0.1).")
    String host;

    @Option(names = "--allow-install",
            description = "Accept plugin jars over HTTP (POST /plugins, admin token required); off by default.")
    boolean allowInstall;

    @Override
    public Integer call() throws Exception {
        HttpSettings settings = HttpSettings.fromConfig(root.home(), System.getenv());
        if (host != null) {
            settings = settings.withHost(host);
        }
        if (port != null) {
            settings = settings.withPort(port);
        }
        if (allowInstall) {
            settings = settings.withInstallEnabled(true);
        }
        Hub hub = root.startHub(false);
        HubServer server;
        try {
            server = HubServer.start(new HubServices(hub.workloads(), hub.models(), hub.predictions(), hub.plugins()),
                    settings);
        } catch (Exception e) {
            hub.stop();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop();
            hub.stop();
        }, "kindling-serve-stop"));
        root.err.println("kindling: hub ready in " + hub.startupMillis() + " ms; serving " + server.uri());
        if (settings.tokenGenerated()) {
            root.err.println("kindling: admin token (generated for this run): " + settings.adminToken());
        }
        root.err.flush();
        server.join();
        return 0;
    }
}
