package io.webcall.signaling.transport;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.RawSipClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** SIP over UDP (RFC 3261 section 18): a datagram of any size up to the UDP limit is read whole. */
@QuarkusTest
@QuarkusTestResource(value = EdgeTestResource.class, restrictToAnnotatedClass = true)
class UdpTransportTest {

    @Inject
    SipTransports transports;

    @Test
    void datagramsUpToTheUdpLimitAreReadWhole() throws Exception {
        try (RawSipClient c = RawSipClient.udp("127.0.0.1", transports.sipPort())) {
            for (int bodySize : new int[] {100, 3_000, 40_000, 64_000}) {
                String body = "x".repeat(bodySize - 2) + "\r\n";
                String options = "OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + c.localPort() + ";branch=z9hG4bKudp" + bodySize
                        + "\r\nMax-Forwards: 70\r\nTo: <sip:127.0.0.1>\r\nFrom: <sip:probe@127.0.0.1>;tag=1\r\nCall-ID: udp-size-" + bodySize
                        + "\r\nCSeq: 1 OPTIONS\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
                c.sendBytes(options.getBytes(StandardCharsets.UTF_8));
                String answer = c.receiveFinal(Duration.ofSeconds(5));
                assertNotNull(answer, "no answer to a " + options.length() + "-byte datagram");
                assertEquals(200, RawSipClient.status(answer), bodySize + ": " + answer);
            }
        }
    }
}
