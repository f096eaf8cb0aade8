package org.kindling.testplugin;

import java.util.List;
import java.util.Map;

import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadContext;
import org.kindling.plugin.WorkloadProperties;
import org.kindling.plugin.WorkloadResult;
import org.osgi.service.component.annotations.Component;

/** Sleeps in steps, reporting progress and honouring cancellation: the well-behaved long workload. */
@Component
@WorkloadProperties(id = "test.sleep", title = "Sleeps politely", tags = "test",
        options = "steps:int=100 Steps of 20 ms")
public class SleepingWorkload implements Workload {

    @Override
    public WorkloadResult run(WorkloadContext context) throws InterruptedException {
        int steps = context.intOption("steps");
        for (int i = 1; i <= steps; i++) {
            context.checkCancelled();
            Thread.sleep(20);
            context.progress((double) i / steps, "step " + i);
            context.metric("step", i);
        }
        return WorkloadResult.succeeded(Map.of("steps", (double) steps), List.of());
    }
}
