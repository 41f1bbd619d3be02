package io.webcall.signaling.transport;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.signaling.registrar.Binding;
import io.webcall.signaling.registrar.LocationService;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.RawSipClient;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIP over TCP (RFC 3261 section 18.3): a user agent's connection to the edge's TCP listener is a flow; when the
 * connection closes, the bindings registered over it go (RFC 5626 section 6) and its connection slot is given back.
 */
@QuarkusTest
@QuarkusTestResource(value = EdgeTestResource.class, restrictToAnnotatedClass = true)
class TcpTransportTest {

    static final Duration T = Duration.ofSeconds(5);
    static final String AOR = "sip:carol@demo.localhost";

    @Inject
    SipTransports transports;
    @Inject
    LocationService location;
    @Inject
    ConnectionSlots slots;

    static String register(int localPort, String instance, int cseq, String authorization) {
        return "REGISTER sip:demo.localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP 127.0.0.1:" + localPort + ";branch=z9hG4bK" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: <" + AOR + ">\r\n"
                + "From: <" + AOR + ">;tag=tcp1\r\n"
                + "Call-ID: " + instance + "\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:carol@127.0.0.1:" + localPort + ";transport=tcp>;+sip.instance=\"<urn:uuid:" + instance + ">\";reg-id=1\r\n"
                + "Expires: 300\r\n"
                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                + "Content-Length: 0\r\n\r\n";
    }

    List<Binding> bindingsOf(String instance) {
        return location.lookup(AOR).stream().filter(b -> b.instanceId() != null && b.instanceId().contains(instance)).toList();
    }

    static boolean within(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }

    @Test
    void closingARegisteredTcpConnectionRemovesItsBindingsAndGivesBackItsSlot() throws Exception {
        String instance = UUID.randomUUID().toString();
        int flowsBefore = transports.flows().size();
        int slotsBefore = slots.inUse("127.0.0.1");
        try (RawSipClient c = RawSipClient.tcp("127.0.0.1", transports.sipPort())) {
            c.send(register(c.localPort(), instance, 1, null));
            String challenge = c.receiveFinal(T);
            assertNotNull(challenge, "no answer to a REGISTER over TCP");
            assertEquals(401, RawSipClient.status(challenge), challenge);
            String md5 = RawSipClient.headers(challenge, "WWW-Authenticate").stream().filter(h -> h.contains("algorithm=MD5"))
                    .findFirst().orElseThrow(() -> new AssertionError("no MD5 challenge in " + challenge));
            c.send(register(c.localPort(), instance, 2, RawSipClient.digestAuthorization(md5, "MD5", "carol",
                    AccountServiceProcess.PASSWORD, "REGISTER", "sip:demo.localhost", "00000001")));
            String ok = c.receiveFinal(T);
            assertNotNull(ok, "no answer to the authenticated REGISTER");
            assertEquals(200, RawSipClient.status(ok), ok);

            List<Binding> bound = bindingsOf(instance);
            assertEquals(1, bound.size(), "one binding over the connection: " + location.lookup(AOR));
            assertEquals("tcp", bound.get(0).transport().toLowerCase(), bound.get(0).toString());
            assertEquals(flowsBefore + 1, transports.flows().size(), "the connection is a flow");
            assertEquals(slotsBefore + 1, slots.inUse("127.0.0.1"), "the connection holds a slot of its source");
        }
        assertTrue(within(T, () -> bindingsOf(instance).isEmpty()), "binding left after its connection closed: " + bindingsOf(instance));
        assertTrue(within(T, () -> transports.flows().size() == flowsBefore), "flow left after its connection closed");
        assertTrue(within(T, () -> slots.inUse("127.0.0.1") == slotsBefore), "slot not given back: " + slots.inUse("127.0.0.1"));
    }
}
