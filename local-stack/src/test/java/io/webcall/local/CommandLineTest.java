package io.webcall.local;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandLineTest {

    @Test
    void withoutFlagsEverythingHasTheDocumentedDefaults() {
        CommandLine c = CommandLine.parse();
        assertEquals(Ports.defaults(), c.ports);
        assertEquals(new Ports(5432, 9092, 8080, 8443, 5060, 8081, 8082, 10000, 20000, 20999), c.ports);
        assertFalse(c.reset);
        assertNull(c.pbx);
        assertNull(c.data);
        assertEquals(Duration.ofSeconds(180), c.healthTimeout);
    }

    @Test
    void everyPortHasAFlagAndFreePortsZeroesTheRest() {
        CommandLine c = CommandLine.parse("--free-ports", "--postgres-port", "15432", "--kafka-port=19092",
                "--http-port", "18080", "--wss-port", "18443", "--sip-port", "15060", "--account-port", "18081",
                "--relay-port", "18082", "--relay-media-port", "11000", "--rtp-ports", "30000-30099");
        assertEquals(new Ports(15432, 19092, 18080, 18443, 15060, 18081, 18082, 11000, 30000, 30099), c.ports);
        assertEquals(Ports.free().withSip(5070), CommandLine.parse("--sip-port", "5070", "--free-ports").ports);
    }

    @Test
    void resetPbxDataRootTimeoutAndJvmOptionsAreTaken() {
        CommandLine c = CommandLine.parse("--reset", "--exit-with-parent", "--pbx", "sip:127.0.0.1:5080", "--data", "/tmp/x", "--root", "/src",
                "--health-timeout", "30", "--jvm-option", "-Xmx256m", "--jvm-option", "-XX:+UseSerialGC");
        assertTrue(c.reset);
        assertTrue(c.exitWithParent);
        assertEquals("sip:127.0.0.1:5080", c.pbx);
        assertEquals(Path.of("/tmp/x"), c.data);
        assertEquals(Path.of("/src"), c.root);
        assertEquals(Duration.ofSeconds(30), c.healthTimeout);
        assertEquals(List.of("-Xmx256m", "-XX:+UseSerialGC"), c.jvmOptions);
    }

    @Test
    void badFlagsAreRefusedWithAMessageNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--bogus", "1"))
                .getMessage().contains("--bogus"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--sip-port", "70000"))
                .getMessage().contains("--sip-port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--http-port", "eighty"))
                .getMessage().contains("--http-port"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--pbx"))
                .getMessage().contains("--pbx needs a value"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--pbx", "http://pbx"))
                .getMessage().contains("sip:HOST:PORT"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--rtp-ports", "30000"))
                .getMessage().contains("MIN-MAX"));
        assertThrows(IllegalArgumentException.class, () -> CommandLine.parse("--rtp-ports", "30099-30000"));
    }
}
