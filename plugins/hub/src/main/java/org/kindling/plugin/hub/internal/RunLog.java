package org.kindling.plugin.hub.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Appends workload log lines to {@code run.log} in the run's output folder. */
final class RunLog {

    private final Path file;

    RunLog(Path file) {
        this.file = file;
    }

    synchronized void append(String runId, String line) {
        try {
            Files.writeString(file, Instant.now() + " " + runId + " " + line + System.lineSeparator(),
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("kindling: cannot write the log of run " + runId + " to " + file + ": " + e);
        }
    }
}
