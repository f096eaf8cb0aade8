package org.kindling.plugin.hub.internal;

import java.util.Dictionary;
import java.util.Hashtable;

import org.kindling.plugin.ModelFormat;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Registers {@link OnnxFormat} when this bundle is wired to the onnx bundle's package (an optional import), so the
 * class that needs the onnx bundle is loaded only when it is there.
 */
@Component(immediate = true, service = {})
public class OnnxFormatEnabler {

    private ServiceRegistration<ModelFormat> registration;

    @Activate
    void activate(BundleContext context) {
        BundleWiring wiring = context.getBundle().adapt(BundleWiring.class);
        for (BundleWire wire : wiring.getRequiredWires(BundleRevision.PACKAGE_NAMESPACE)) {
            if ("org.kindling.onnx".equals(wire.getCapability().getAttributes().get(BundleRevision.PACKAGE_NAMESPACE))) {
                Dictionary<String, Object> properties = new Hashtable<>();
                properties.put(ModelFormat.NAME, "onnx");
                registration = context.registerService(ModelFormat.class, new OnnxFormat(), properties);
                return;
            }
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }
}
