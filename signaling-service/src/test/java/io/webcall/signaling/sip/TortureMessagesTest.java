package io.webcall.signaling.sip;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.RawSipClient;
import io.webcall.signaling.transport.SipTransports;
import jakarta.inject.Inject;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 4475 torture messages sent over UDP: valid ones are processed (any answer but 400), invalid requests are
 * rejected with 400 (416, 505 where the RFC says so), invalid responses and garbage are dropped, and after every
 * message the edge still answers.
 */
@QuarkusTest
@QuarkusTestResource(value = EdgeTestResource.class, restrictToAnnotatedClass = true)
class TortureMessagesTest {

    static final Path DIR = Path.of("src/test/resources/torture");

    @Inject
    SipTransports transports;

    static byte[] load(Path file) throws Exception {
        byte[] raw = Files.readAllBytes(file);
        // files are stored with LF; SIP needs CRLF
        String text = new String(raw, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replace("\n", "\r\n");
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @TestFactory
    Stream<DynamicTest> everyTortureMessageGetsTheRightTreatmentAndTheEdgeSurvives() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(DIR)) {
            files = s.sorted().toList();
        }
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    void check(Path file) throws Exception {
        String name = file.getFileName().toString();
        try (RawSipClient c = RawSipClient.udp("127.0.0.1", transports.sipPort())) {
            c.sendBytes(load(file));
            String answer = c.receiveFinal(Duration.ofMillis(name.startsWith("drop-") ? 1000 : 5000));
            if (name.startsWith("valid-")) {
                assertNotNull(answer, name + " got no answer");
                assertNotEquals(400, RawSipClient.status(answer), name + " is valid but got " + answer);
                assertTrue(RawSipClient.status(answer) < 500, name + ": " + answer);
            } else if (name.startsWith("invalid-")) {
                assertNotNull(answer, name + " got no answer");
                assertTrue(Set.of(400, 416, 505).contains(RawSipClient.status(answer)), name + ": " + answer);
                assertTrue(answer.split("\r\n")[0].length() > "SIP/2.0 400 ".length(), "a reason phrase: " + answer);
            } else {
                assertNull(answer, name + " must be dropped silently");
            }
            c.send("OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + c.localPort() + ";branch=z9hG4bKalive" + name.hashCode()
                    + "\r\nMax-Forwards: 70\r\nTo: <sip:127.0.0.1>\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\nCall-ID: alive-" + name
                    + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
            String alive = c.receiveFinal(Duration.ofSeconds(5));
            assertNotNull(alive, "edge still answers after " + name);
            assertEquals(200, RawSipClient.status(alive), alive);
        }
    }
}
