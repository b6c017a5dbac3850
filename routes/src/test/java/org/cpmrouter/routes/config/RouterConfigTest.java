package org.cpmrouter.routes.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterConfigTest {

    @TempDir
    Path dir;

    @Test
    void should_apply_file_then_local_file_then_env_then_command_line() throws IOException {
        Files.writeString(dir.resolve("application.properties"), "cpm.sip.port=5070\ncpm.domain=a.example\n"
                + "cpm.sip.threads=4\ncpm.registrar.min-expires=30\n");
        Files.writeString(dir.resolve("application-local.properties"), "cpm.sip.port=5080\ncpm.sip.threads=6\n");
        RouterConfig config = RouterConfig.load(dir, dir, Map.of("CPM_SIP_PORT", "5090", "CPM_SIP_THREADS", "7"),
                Map.of("cpm.sip.port", "6000"));
        assertEquals(6000, config.getInt("cpm.sip.port"));
        assertEquals(7, config.getInt("cpm.sip.threads"));
        assertEquals("a.example", config.get("cpm.domain"));
        assertEquals(30, config.getInt("cpm.registrar.min-expires"));
        assertEquals(dir.resolve("infinispan.xml"), config.configPath("cpm.infinispan.config"));
    }

    @Test
    void should_refuse_bad_values_with_the_key_named() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouterConfig.load(dir, dir, Map.of(), Map.of("cpm.sip.port", "fifty")));
        assertTrue(e.getMessage().contains("cpm.sip.port"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RouterConfig.load(dir, dir, Map.of(), Map.of("cpm.sip.port", "70000")));
        e = assertThrows(IllegalArgumentException.class,
                () -> RouterConfig.load(dir, dir, Map.of(), Map.of("cpm.overload.connection-backlog-kb", "-1")));
        assertEquals("cpm.overload.connection-backlog-kb must be 0 (off) or 1-1048576 (KiB), got -1", e.getMessage());
    }

    @Test
    void should_choose_the_overload_bound_by_the_udp_path_unless_one_is_set() {
        assertEquals(RouterConfig.LEAN_MAX_IN_FLIGHT, RouterConfig.load(dir, dir, Map.of(), Map.of()).maxInFlight());
        assertEquals(RouterConfig.STACK_MAX_IN_FLIGHT, RouterConfig.load(dir, dir, Map.of(),
                Map.of("cpm.sip.udp-path", "jain-sip")).maxInFlight());
        assertEquals(250, RouterConfig.load(dir, dir, Map.of("CPM_OVERLOAD_MAX_IN_FLIGHT", "250"),
                Map.of("cpm.sip.udp-path", "jain-sip")).maxInFlight());
        assertEquals(0, RouterConfig.load(dir, dir, Map.of(), Map.of("cpm.overload.max-in-flight", "0"))
                .maxInFlight());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RouterConfig.load(dir, dir, Map.of(), Map.of("cpm.overload.max-in-flight", "automatic")));
        assertEquals("cpm.overload.max-in-flight must be auto, 0 (off) or a positive whole number, got 'automatic'",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> RouterConfig.load(dir, dir, Map.of(), Map.of("cpm.overload.max-in-flight", "-5")));
        assertEquals("cpm.overload.max-in-flight must be auto, 0 (off) or a positive whole number, got '-5'",
                e.getMessage());
    }

    @Test
    void should_document_every_key_with_its_default_in_the_shipped_file() throws IOException {
        Path shipped = Path.of(System.getProperty("cpm.home", "..")).resolve("config/application.properties");
        String text = Files.readString(shipped);
        Properties props = new Properties();
        props.load(new StringReader(text));
        for (Map.Entry<String, String> entry : RouterConfig.DEFAULTS.entrySet()) {
            assertEquals(entry.getValue(), props.getProperty(entry.getKey()),
                    "config/application.properties must show " + entry.getKey() + " with its default");
            assertTrue(text.contains("\n# ") && text.indexOf(entry.getKey() + "=") > 0);
        }
        assertEquals(RouterConfig.DEFAULTS.keySet(), props.stringPropertyNames().stream()
                .filter(k -> k.startsWith("cpm.")).collect(java.util.stream.Collectors.toSet()));
    }
}
