package org.kindling.testplugin;

import java.util.List;
import java.util.Map;

import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadContext;
import org.kindling.plugin.WorkloadProperties;
import org.kindling.plugin.WorkloadResult;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** Answers with the version of the bundle that provides it, so tests tell an update from the old version. */
@Component
@WorkloadProperties(id = "test.echo", title = "Echo the plugin version", tags = "test",
        options = {"text:string=hello Text to echo", "times:int=1 How often"})
public class EchoWorkload implements Workload {

    private String version;

    @Activate
    void activate(BundleContext context) {
        version = context.getBundle().getVersion().toString();
    }

    @Override
    public WorkloadResult run(WorkloadContext context) {
        String text = context.stringOption("text").repeat(context.intOption("times"));
        context.progress(1, "echoed");
        return new WorkloadResult(org.kindling.plugin.RunStatus.SUCCEEDED, text + " from " + version,
                Map.of("major", (double) majorOf(version)), List.of());
    }

    private static int majorOf(String version) {
        return Integer.parseInt(version.split("\\.")[0]);
    }
}
