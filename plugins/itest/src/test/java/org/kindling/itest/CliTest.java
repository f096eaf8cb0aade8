package org.kindling.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.hub.cli.Main;

/** The {@code kindling} CLI: output, exit codes (0, 1, 2) and one-line errors, in process and as the distribution. */
class CliTest {

    @TempDir
    Path home;

    @org.junit.jupiter.api.BeforeAll
    static void pollFaster() {
        System.setProperty("felix.fileinstall.poll", "250"); // -D overrides of framework properties reach the hub
    }

    @org.junit.jupiter.api.AfterAll
    static void pollDefault() {
        System.clearProperty("felix.fileinstall.poll");
    }

    record Result(int code, String out, String err) {
    }

    private Result kindling(String... args) {
        List<String> all = new ArrayList<>(List.of("--home", home.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(all.toArray(new String[0]), new PrintWriter(out, true), new PrintWriter(err, true));
        Result r = new Result(code, out.toString(), err.toString());
        assertFalse(r.err.contains("\tat "), "no stack trace without --verbose: " + r.err);
        return r;
    }

    private static void assertOneLineError(Result r, int code, String message) {
        assertEquals(code, r.code, r.out + r.err);
        List<String> lines = r.err.lines().filter(l -> l.startsWith("kindling: ")).toList();
        assertEquals(1, lines.size(), r.err);
        assertTrue(lines.get(0).contains(message), "expected '" + message + "' in: " + lines.get(0));
    }

    @Test
    void commandsExitCodesAndMessages() throws Exception {
        Result help = kindling("--help");
        assertEquals(0, help.code);
        for (String command : List.of("plugins", "workloads", "run", "models", "serve", "shell", "data", "demo")) {
            assertTrue(help.out.contains("  " + command), command + " missing from:\n" + help.out);
        }
        assertEquals(0, kindling("models", "export", "--help").code);

        Result list = kindling("workloads", "list");
        assertEquals(0, list.code, list.err);
        assertTrue(list.out.lines().anyMatch(l -> l.startsWith("demo.mlp ") && l.contains("org.kindling.plugin.hub")),
                list.out);
        Result describe = kindling("workloads", "describe", "demo.mlp");
        assertEquals(0, describe.code);
        assertTrue(describe.out.contains("--epochs") && describe.out.contains("int") && describe.out.contains("300"),
                describe.out);

        Result run = kindling("run", "demo.mlp", "--epochs", "40", "--points=60", "--seed", "3");
        assertEquals(0, run.code, run.err);
        assertTrue(run.out.startsWith("SUCCEEDED: stored model demo-mlp:1"), run.out);
        assertTrue(run.err.contains("] 100%"), "progress bar on stderr: " + run.err);

        Result models = kindling("models", "list");
        assertEquals(0, models.code);
        assertTrue(models.out.lines().anyMatch(l -> l.startsWith("demo-mlp:1 ") && l.contains("safetensors")), models.out);
        Result show = kindling("models", "show", "demo-mlp");
        assertTrue(show.out.contains("workload demo.mlp") && show.out.contains("property hidden = 32"), show.out);
        Path out = home.resolve("exported");
        Result export = kindling("models", "export", "demo-mlp", "--format", "safetensors", "--output", out.toString());
        assertEquals(0, export.code, export.err);
        assertTrue(Files.isRegularFile(out.resolve("demo-mlp-v1.safetensors")));
        Result imported = kindling("models", "import", out.resolve("demo-mlp-v1.safetensors").toString(), "--name", "copy");
        assertEquals(0, imported.code, imported.err);
        assertTrue(imported.out.startsWith("imported copy:1 (safetensors"), imported.out);
        assertEquals(0, kindling("models", "delete", "copy").code);

        assertOneLineError(kindling("run", "demo.mlp", "--bogus", "1"), 2,
                "workload 'demo.mlp' has no option 'bogus'; its options are: epochs, hidden, lr, points, model");
        assertOneLineError(kindling("run", "demo.mlp", "--epochs", "many"), 2, "option 'epochs' expects int, got 'many'");
        assertOneLineError(kindling("run", "no.such"), 2, "unknown workload 'no.such'; available: demo.mlp");
        assertOneLineError(kindling("frobnicate"), 2, "Unmatched argument");
        Result onnx = kindling("models", "export", "demo-mlp", "--format", "onnx", "--output", out.toString());
        assertEquals(0, onnx.code, onnx.err);
        assertTrue(Files.size(out.resolve("demo-mlp-v1.onnx")) > 1000, "an ONNX graph with the MLP's weights");
        assertOneLineError(kindling("models", "export", "demo-mlp", "--format", "tflite"), 2,
                "unknown model format 'tflite'; installed: onnx, safetensors");
        assertOneLineError(kindling("models", "delete", "ghost"), 2, "no model named 'ghost'");
        assertOneLineError(kindling("run", "demo.mlp", "--epochs", "0"), 1,
                "FAILED: IllegalArgumentException: epochs, hidden and points must be >= 1");

        Path broken = TestPlugins.truncated(TestPlugins.builtJar(), home.resolve("broken.jar"), 200);
        assertOneLineError(kindling("plugins", "install", broken.toString()), 2, "is not a readable jar");
        Result install = kindling("plugins", "install", TestPlugins.version(home.resolve("tp.jar"), "1.0.0").toString());
        assertEquals(0, install.code, install.err);
        assertTrue(install.out.startsWith("installed org.kindling.testplugin 1.0.0"), install.out);
        Result plugins = kindling("plugins", "list");
        assertTrue(plugins.out.lines().anyMatch(l -> l.startsWith("org.kindling.testplugin ") && l.contains("ACTIVE")
                && l.contains("test.echo")), plugins.out);
        assertOneLineError(kindling("run", "test.throws"), 1, "FAILED: IllegalStateException: boom from the test plugin");
        assertOneLineError(kindling("run", "test.hang", "--seconds", "1", "--timeout", "300ms"), 1, "TIMED_OUT: timed out after 300 ms");
        assertOneLineError(kindling("run", "test.sleep", "--timeout", "soon"), 2, "--timeout expects a duration");
        Result update = kindling("plugins", "update", "org.kindling.testplugin",
                TestPlugins.version(home.resolve("tp2.jar"), "2.0.0").toString());
        assertEquals(0, update.code, update.err);
        assertTrue(update.out.contains("test.only.v2"), update.out);
        assertEquals(0, kindling("plugins", "uninstall", "org.kindling.testplugin").code);
        assertOneLineError(kindling("plugins", "uninstall", "org.kindling.testplugin"), 2,
                "no plugin 'org.kindling.testplugin'");
        assertOneLineError(kindling("plugins", "uninstall", "org.kindling.core"), 1, "is part of the hub");
    }

    @Test
    void distributionScriptStartsTheHubAndReportsStartupTime() throws Exception {
        Path script = Path.of(System.getProperty("kindling.dist"), "bin", "kindling");
        assertTrue(Files.isExecutable(script), script + " is built by plugins/launcher");
        Process p = new ProcessBuilder(script.toString(), "--verbose", "--home", home.toString(), "workloads", "list")
                .redirectErrorStream(false).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), err);
        assertTrue(out.contains("demo.mlp"), out);
        Matcher m = Pattern.compile("hub ready in (\\d+) ms").matcher(err);
        assertTrue(m.find(), err);
        System.out.println("distribution: hub ready in " + m.group(1) + " ms");
        assertTrue(Integer.parseInt(m.group(1)) < 10_000, err);

        Process usage = new ProcessBuilder(script.toString(), "--home", home.toString(), "run").start();
        assertTrue(usage.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, usage.exitValue());
    }
}
