package org.kindling.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSettingsTest {
    @TempDir
    Path home;

    @Test
    void defaultsAreLoopbackWithAGeneratedTokenAndInstallsOff() throws Exception {
        HttpSettings s = HttpSettings.fromConfig(home, Map.of());
        assertEquals("127.0.0.1", s.host());
        assertEquals(8080, s.port());
        assertTrue(s.tokenGenerated());
        assertEquals(43, s.adminToken().length());
        assertFalse(s.installEnabled());
        assertFalse(s.toString().contains(s.adminToken()), "toString hides the token");
    }

    @Test
    void fileThenEnvironmentOverride() throws Exception {
        Files.writeString(home.resolve(HttpSettings.CONFIG_FILE),
                "port=9099\nadmin.token=from-file\ninstall.enabled=true\nmax.body.bytes=1024\n");
        HttpSettings file = HttpSettings.fromConfig(home, Map.of());
        assertEquals(9099, file.port());
        assertEquals("from-file", file.adminToken());
        assertFalse(file.tokenGenerated());
        assertTrue(file.installEnabled());
        assertEquals(1024, file.maxBodyBytes());
        assertEquals("from-env", HttpSettings.fromConfig(home, Map.of(HttpSettings.TOKEN_VARIABLE, "from-env")).adminToken());
    }

    @Test
    void badValuesNameTheKeyAndTheFile() throws Exception {
        Files.writeString(home.resolve(HttpSettings.CONFIG_FILE), "port=eighty\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HttpSettings.fromConfig(home, Map.of()));
        assertEquals("port in " + home.resolve(HttpSettings.CONFIG_FILE) + " must be an integer, got 'eighty'", e.getMessage());
        assertEquals("port must be in 0..65535, got 70000",
                assertThrows(IllegalArgumentException.class, () -> HttpSettings.defaults().withPort(70000)).getMessage());
    }
}
