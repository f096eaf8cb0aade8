package org.kindling.testplugin;

import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadContext;
import org.kindling.plugin.WorkloadProperties;
import org.kindling.plugin.WorkloadResult;
import org.osgi.service.component.annotations.Component;

/** Always throws: the hub must turn this into a FAILED result naming the exception. */
@Component
@WorkloadProperties(id = "test.throws", title = "Always throws", tags = "test")
public class ThrowingWorkload implements Workload {

    @Override
    public WorkloadResult run(WorkloadContext context) {
        context.progress(0.5, "about to fail");
        throw new IllegalStateException("boom from the test plugin");
    }
}
