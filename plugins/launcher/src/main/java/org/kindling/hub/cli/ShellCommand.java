package org.kindling.hub.cli;

import java.util.concurrent.Callable;

import org.kindling.hub.Hub;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code kindling shell}: the hub with the Gogo shell on the console. */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"Start the hub with the Felix Gogo shell on this console.",
                "Try 'lb' (bundles), 'scr:list' (components), 'kindling:workloads', 'kindling:run demo.mlp'; 'stop 0' or Ctrl-D leaves."})
final class ShellCommand implements Callable<Integer> {

    @ParentCommand
    KindlingCommand root;

    @Override
    public Integer call() throws Exception {
        Hub hub = root.startHub(true);
        root.err.println("kindling: hub ready in " + hub.startupMillis() + " ms; Gogo shell follows");
        Thread stopOnExit = new Thread(hub::stop, "kindling-shell-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        hub.awaitStop();
        hub.stop();
        return 0;
    }
}
