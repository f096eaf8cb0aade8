package org.kindling.testplugin;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.kindling.plugin.RunStatus;
import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadResult;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers a workload whose id names the bundle's major version ({@code test.only.v1}, {@code test.only.v2}), so an
 * update visibly replaces one workload by another.
 */
@Component(immediate = true, service = {})
public class VersionedWorkload {

    private ServiceRegistration<Workload> registration;

    @Activate
    void activate(BundleContext context) {
        int major = context.getBundle().getVersion().getMajor();
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Workload.ID, "test.only.v" + major);
        properties.put(Workload.TITLE, "Only in version " + major);
        Workload w = c -> new WorkloadResult(RunStatus.SUCCEEDED, "only v" + major, Map.of(), List.of());
        registration = context.registerService(Workload.class, w, properties);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
