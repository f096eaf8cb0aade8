package org.kindling.testplugin;

import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadContext;
import org.kindling.plugin.WorkloadProperties;
import org.kindling.plugin.WorkloadResult;
import org.osgi.service.component.annotations.Component;

/**
 * Misbehaves on purpose: ignores cancellation and swallows interrupts for {@code seconds}, then returns nothing.
 * To the hub it is a workload that never finishes; the bound only keeps the test JVM tidy.
 */
@Component
@WorkloadProperties(id = "test.hang", title = "Ignores cancellation", tags = "test",
        options = "seconds:int=5 How long to ignore everything")
public class HangingWorkload implements Workload {

    @Override
    public WorkloadResult run(WorkloadContext context) {
        long end = System.nanoTime() + context.intOption("seconds") * 1_000_000_000L;
        while (System.nanoTime() < end) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException ignored) {
                // deliberately ignored
            }
        }
        return null;
    }
}
