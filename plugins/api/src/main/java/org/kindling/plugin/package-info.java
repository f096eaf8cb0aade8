/**
 * The Kindling plugin API: what plugins implement, and what hosts (the launcher, the HTTP server, an application
 * server embedding the hub) call.
 *
 * <p>Plugins register {@link org.kindling.plugin.Workload}, {@link org.kindling.plugin.ModelFormat} and
 * {@link org.kindling.plugin.Predictor} services with Declarative Services. Clients reach them only through the
 * hub's {@link org.kindling.plugin.WorkloadRunner}, {@link org.kindling.plugin.ModelStore},
 * {@link org.kindling.plugin.PredictionService} and {@link org.kindling.plugin.PluginManager} services.
 *
 * <p>Every type here is a plain interface or an immutable value type that depends on nothing but the JDK (tensors
 * cross the boundary as {@link org.kindling.plugin.TensorData}), so a host can export this package once from the
 * framework's system bundle and share it with every bundle: no class is ever loaded twice.
 *
 * <pre>
 * &#64;Component
 * &#64;WorkloadProperties(id = "hello", title = "Says hello", tags = "demo", options = "name:string=world Who to greet")
 * public class Hello implements Workload {
 *     public WorkloadResult run(WorkloadContext context) {
 *         context.progress(1.0, "greeted " + context.stringOption("name"));
 *         return WorkloadResult.succeeded(Map.of("greetings", 1.0), List.of());
 *     }
 * }
 * </pre>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.kindling.plugin;
