/**
 * The Kindling HTTP API: {@link org.kindling.http.KindlingServlet} (the handlers, written once as a Jakarta
 * servlet), {@link org.kindling.http.HubServer} (a standalone Jetty 12 server for {@code kindling serve}), and
 * {@link org.kindling.http.HttpSettings} (address, admin token, limits). It needs only the hub's services from the
 * {@code org.kindling.plugin} API, gathered in {@link org.kindling.http.HubServices}.
 *
 * <pre>
 * HubServer server = HubServer.start(
 *         new HubServices(hub.workloads(), hub.models(), hub.predictions(), hub.plugins()),
 *         HttpSettings.defaults().withPort(0));
 * HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.uri().resolve("health")).build(),
 *         HttpResponse.BodyHandlers.ofString()).body();   // {"status":"UP",...}
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.kindling.http;
