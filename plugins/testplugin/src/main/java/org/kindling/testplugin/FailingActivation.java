package org.kindling.testplugin;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** Throws from its activate method when the bundle header {@code Kindling-Test-Fail-Activation} is true. */
@Component(immediate = true, service = {})
public class FailingActivation {

    @Activate
    void activate(BundleContext context) {
        if ("true".equals(context.getBundle().getHeaders().get("Kindling-Test-Fail-Activation"))) {
            throw new IllegalStateException("activation refused by Kindling-Test-Fail-Activation");
        }
    }
}
