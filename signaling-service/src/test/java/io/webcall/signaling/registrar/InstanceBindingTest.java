package io.webcall.signaling.registrar;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.signaling.testsupport.AccountServiceProcess;
import io.webcall.signaling.testsupport.EdgeTestResource;
import io.webcall.signaling.testsupport.RawSipClient;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 5626 section 6: a REGISTER carrying the same {@code +sip.instance} and {@code reg-id} as an existing binding
 * replaces that binding (a browser that reconnects on a new WebSocket, with a new Contact URI, is still one device),
 * with the Contact written the way JsSIP writes it: the instance, a quoted {@code <urn:uuid:...>}, among the parameters.
 */
@QuarkusTest
@QuarkusTestResource(value = EdgeTestResource.class, restrictToAnnotatedClass = true)
class InstanceBindingTest {

    static final Duration T = Duration.ofSeconds(10);

    @TestHTTPResource("/sip")
    URL sip;

    /** A REGISTER as JsSIP 3.10 sends it (Contact parameters in JsSIP's order, instance after reg-id). */
    static String jssipRegister(String token, String contactUser, String instance, String callId, int cseq) {
        return "REGISTER sip:demo.localhost SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS " + contactUser + ".invalid;branch=z9hG4bK" + UUID.randomUUID().toString().substring(0, 8) + "\r\n"
                + "Max-Forwards: 69\r\n"
                + "To: <sip:carol@demo.localhost>\r\n"
                + "From: <sip:carol@demo.localhost>;tag=" + contactUser + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " REGISTER\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Contact: <sip:" + contactUser + "@" + contactUser + ".invalid;transport=ws>;+sip.ice;reg-id=1;"
                + "+sip.instance=\"<urn:uuid:" + instance + ">\";expires=600\r\n"
                + "Expires: 600\r\n"
                + "Allow: INVITE,ACK,CANCEL,BYE,UPDATE,MESSAGE,OPTIONS,REFER,INFO,NOTIFY\r\n"
                + "Supported: path,gruu,outbound\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void jssipDeviceReconnectingOnANewWebSocketReplacesItsBindingInsteadOfAddingOne() throws Exception {
        String token = AccountServiceProcess.get().token("carol", AccountServiceProcess.DOMAIN, 600);
        String instance = UUID.randomUUID().toString();
        String ws = sip.toString().replace("http", "ws");
        try (RawSipClient first = RawSipClient.webSocket(ws); RawSipClient second = RawSipClient.webSocket(ws)) {
            first.send(jssipRegister(token, "firstws", instance, "reg-a-" + instance, 1));
            String r1 = first.receiveFinal(T);
            assertNotNull(r1, "no answer to the first REGISTER");
            assertEquals(200, RawSipClient.status(r1), r1);
            List<String> bound = RawSipClient.headers(r1, "Contact");
            assertTrue(bound.stream().anyMatch(c -> c.contains("firstws") && c.contains("+sip.instance=\"<urn:uuid:" + instance + ">\"")
                    && c.contains("reg-id=1")), "the binding keeps the instance and reg-id: " + r1);
            assertEquals("outbound", RawSipClient.header(r1, "Require"), r1);

            // the same browser after a reconnect: new WebSocket, new Contact URI, new Call-ID, same instance and reg-id
            second.send(jssipRegister(token, "secondws", instance, "reg-b-" + instance, 1));
            String r2 = second.receiveFinal(T);
            assertNotNull(r2, "no answer to the second REGISTER");
            assertEquals(200, RawSipClient.status(r2), r2);
            List<String> mine = RawSipClient.headers(r2, "Contact").stream().filter(c -> c.contains(instance)).toList();
            assertEquals(1, mine.size(), "one binding for the instance: " + r2);
            assertTrue(mine.get(0).contains("secondws"), "the new flow's Contact replaced the old one: " + r2);
        }
    }
}
