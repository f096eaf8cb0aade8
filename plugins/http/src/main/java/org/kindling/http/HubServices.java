package org.kindling.http;

import java.util.Objects;

import org.kindling.plugin.ModelStore;
import org.kindling.plugin.PluginManager;
import org.kindling.plugin.PredictionService;
import org.kindling.plugin.WorkloadRunner;

/**
 * The four hub services the HTTP API serves. They are the {@code org.kindling.plugin} API only, so this module
 * works over any host that has them: the launcher's {@code Hub}, or services looked up in a framework.
 *
 * <pre>
 * Hub hub = Hub.builder().home(home).start();
 * HubServices services = new HubServices(hub.workloads(), hub.models(), hub.predictions(), hub.plugins());
 * </pre>
 *
 * @param workloads list, run and cancel workloads
 * @param models the model store
 * @param predictions predictions with stored models
 * @param plugins installed plugins
 */
public record HubServices(WorkloadRunner workloads, ModelStore models, PredictionService predictions,
                          PluginManager plugins) {

    /** Checks that no service is null. */
    public HubServices {
        Objects.requireNonNull(workloads, "workloads");
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(predictions, "predictions");
        Objects.requireNonNull(plugins, "plugins");
    }
}
