package org.kindling.hub.cli;

import java.io.PrintWriter;

import org.kindling.plugin.HubException;

import picocli.CommandLine;

/**
 * The {@code kindling} command. Exit codes: 0 success, 1 the work failed, 2 bad usage (unknown command or option,
 * an option value of the wrong type, an unknown workload, model or plugin). Errors are one line on standard error;
 * {@code --verbose} adds the stack trace.
 */
public final class Main {

    /** Exit code when the work itself failed. */
    public static final int FAILED = 1;
    /** Exit code for bad usage. */
    public static final int USAGE = 2;

    private Main() {
    }

    /**
     * Runs the CLI and exits the JVM with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        System.exit(code);
    }

    /**
     * Runs the CLI without exiting (for tests and embedding).
     *
     * @param args command-line arguments
     * @param out standard output
     * @param err standard error
     * @return the exit code
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        KindlingCommand root = new KindlingCommand(out, err);
        CommandLine cli = new CommandLine(root);
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            Throwable cause = e;
            if (root.verbose) {
                e.printStackTrace(err);
            }
            err.println("kindling: " + oneLine(cause));
            err.flush();
            if (cause instanceof HubException) {
                HubException.Kind kind = ((HubException) cause).kind();
                return kind == HubException.Kind.BAD_REQUEST || kind == HubException.Kind.NOT_FOUND ? USAGE : FAILED;
            }
            if (cause instanceof UsageException) {
                return USAGE;
            }
            return FAILED;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("kindling: " + e.getMessage());
            err.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            err.flush();
            return USAGE;
        });
        return cli.execute(args);
    }

    static String oneLine(Throwable t) {
        String m = t.getMessage();
        if (t instanceof HubException || t instanceof UsageException || t instanceof WorkFailedException) {
            return m;
        }
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** Bad usage found after parsing (exit code 2). */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** The work failed (exit code 1); the message is already the whole story. */
    static final class WorkFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        WorkFailedException(String message) {
            super(message);
        }
    }
}
