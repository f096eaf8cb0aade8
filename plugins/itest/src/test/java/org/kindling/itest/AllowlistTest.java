package org.kindling.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindling.hub.Hub;
import org.kindling.plugin.HubException;
import org.kindling.plugin.PluginInfo;

/** With {@code kindling.plugins.sha256} set, installs accept only the jars the allowlist names. */
class AllowlistTest {

    @TempDir
    Path home;

    @Test
    void installsOnlyListedJars() throws Exception {
        Path v1 = TestPlugins.version(home.resolve("v1.jar"), "1.0.0");
        Path v2 = TestPlugins.version(home.resolve("v2.jar"), "2.0.0");
        String sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(v1)));
        Path allowlist = Files.writeString(home.resolve("allowed.txt"), "# plugins we trust\n" + sha1 + "  v1.jar\n");
        try (Hub hub = Hub.builder().home(home).property("felix.fileinstall.poll", "250")
                .property("kindling.plugins.sha256", allowlist.toString()).start()) {
            HubException refused = assertThrows(HubException.class, () -> hub.plugins().install(v2));
            assertEquals(HubException.Kind.CONFLICT, refused.kind());
            assertTrue(refused.getMessage().startsWith("v2.jar (sha256 "), refused.getMessage());
            assertTrue(refused.getMessage().endsWith(") is not in the plugin allowlist " + allowlist), refused.getMessage());
            assertTrue(hub.plugins().get(TestPlugins.NAME).isEmpty(), "nothing was copied to deploy/");

            PluginInfo installed = hub.plugins().install(v1);
            assertEquals("ACTIVE", installed.state());
            assertEquals(HubException.Kind.CONFLICT, assertThrows(HubException.class,
                    () -> hub.plugins().update(TestPlugins.NAME, v2)).kind());
            assertEquals("1.0.0", hub.plugins().get(TestPlugins.NAME).orElseThrow().version());
        }
    }
}
