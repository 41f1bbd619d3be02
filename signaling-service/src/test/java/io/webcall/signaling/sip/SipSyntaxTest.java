package io.webcall.signaling.sip;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The codec's RFC 3261 section 25.1 checks of Request-URI, From, To, Contact, Route, Record-Route, Via and Call-ID:
 * forms the grammar allows are accepted, broken ones get 400 with a reason naming the header.
 */
class SipSyntaxTest {

    private static final String VIA = "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK1a2b;rport\r\n";

    private static String request(String ruri, String via, String from, String to, String callId, String extra) {
        return "OPTIONS " + ruri + " SIP/2.0\r\n" + via + "Max-Forwards: 70\r\nFrom: " + from + "\r\nTo: " + to + "\r\nCall-ID: "
                + callId + "\r\nCSeq: 1 OPTIONS\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    private static SipMessage parse(String text) throws SipParseException {
        return SipCodec.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static SipParseException rejected(String text) {
        return assertThrows(SipParseException.class, () -> parse(text));
    }

    @Test
    void formsTheGrammarAllowsAreAccepted() throws Exception {
        // what JsSIP / SIP.js send: .invalid host, outbound Contact parameters, quoted display name
        assertNotNull(parse(request("sip:bob@demo.localhost", VIA, "\"Alice \\\"A\\\"\" <sip:alice@demo.localhost>;tag=8s7d",
                "<sip:bob@demo.localhost>", "3ks9d0akd93kd",
                "Contact: <sip:k3d9@df7jal23ls0d.invalid;transport=ws;ob>;+sip.ice;reg-id=1;+sip.instance=\"<urn:uuid:6a1c-4f>\"\r\n"
                        + "Route: <sip:127.0.0.1:5060;lr;ftok=Ab-_9>\r\nRecord-Route: <sip:[2001:db8::1]:5061;transport=tcp;lr>\r\n")));
        // token display name without space before '<', absoluteURI in From and To (tel, mailto), IPv6 sent-by
        assertNotNull(parse(request("sip:[::1]:5060", "Via: SIP/2.0/UDP [::1]:5062;branch=z9hG4bKx;received=::1\r\n",
                "Caller Name<tel:+15551234;phone-context=example.com>;tag=1", "mailto:someone@example.com",
                "a.b-c!%*_+`'~()<>:\\\"/[]?{}@host", "")));
        // a user part with ';' and ',' (user-unreserved), an extension transport token, Contact *
        assertNotNull(parse(request("sip:user;par=u%40example.net@example.com", "Via: SIP/2.0/QUIC h.example.com:5060;branch=z9hG4bKq\r\n",
                "<sip:a,b@example.com>;tag=2", "sip:j_user@example.com", "x@y", "Contact: *\r\n")));
        // host names ending in a dot, 255 in an IPv4 label
        assertNotNull(parse(request("sip:a@example.com.", VIA, "<sip:a@255.255.255.255>;tag=1", "<sip:b@host-1.example>", "id", "")));
    }

    @Test
    void brokenHeadersAreRejectedWithTheHeaderInTheReason() {
        assertEquals("Malformed Call-ID", rejected(request("sip:b@example.com", VIA, "<sip:a@example.com>;tag=1",
                "<sip:b@example.com>", "has space@host", "")).getMessage());
        assertEquals("Malformed From: missing >", rejected(request("sip:b@example.com", VIA, "<sip:a@example.com;tag=1",
                "<sip:b@example.com>", "id", "")).getMessage());
        assertEquals("Malformed From: unbalanced quotes", rejected(request("sip:b@example.com", VIA, "\"Alice <sip:a@example.com>;tag=1",
                "<sip:b@example.com>", "id", "")).getMessage());
        assertEquals("Malformed To: malformed URI", rejected(request("sip:b@example.com", VIA, "<sip:a@example.com>;tag=1",
                "<sip:b@@example.com>", "id", "")).getMessage());
        assertEquals("Malformed To: malformed parameter", rejected(request("sip:b@example.com", VIA, "<sip:a@example.com>;tag=1",
                "<sip:b@example.com>;;tag=", "id", "")).getMessage());
        assertEquals("Malformed Contact: malformed display name", rejected(request("sip:b@example.com", VIA, "<sip:a@example.com>;tag=1",
                "<sip:b@example.com>", "id", "Contact: a=b <sip:c@example.com>\r\n")).getMessage());
        assertEquals("Malformed Route: not a SIP URI", rejected(request("sip:b@example.com", VIA, "<sip:a@example.com>;tag=1",
                "<sip:b@example.com>", "id", "Route: <mailto:x@example.com>\r\n")).getMessage());
        assertEquals("Malformed Record-Route: malformed URI", rejected(request("sip:b@example.com", VIA, "<sip:a@example.com>;tag=1",
                "<sip:b@example.com>", "id", "Record-Route: <sip:[:1:1]:5060;lr>\r\n")).getMessage());
        assertEquals("Malformed Via sent-by", rejected(request("sip:b@example.com", "Via: SIP/2.0/UDP 127.0.1:5060;branch=z9hG4bK1\r\n",
                "<sip:a@example.com>;tag=1", "<sip:b@example.com>", "id", "")).getMessage());
        assertEquals("Malformed Via sent-by", rejected(request("sip:b@example.com", "Via: SIP/2.0/UDP host:70000;branch=z9hG4bK1\r\n",
                "<sip:a@example.com>;tag=1", "<sip:b@example.com>", "id", "")).getMessage());
        assertEquals("Malformed Via transport", rejected(request("sip:b@example.com", "Via: SIP/2.0/U=DP host;branch=z9hG4bK1\r\n",
                "<sip:a@example.com>;tag=1", "<sip:b@example.com>", "id", "")).getMessage());
        assertEquals("Missing Via branch", rejected(request("sip:b@example.com", "Via: SIP/2.0/UDP host;rport\r\n",
                "<sip:a@example.com>;tag=1", "<sip:b@example.com>", "id", "")).getMessage());
        assertEquals("Malformed Request-URI", rejected(request("sip:b@exa_mple.com", VIA, "<sip:a@example.com>;tag=1",
                "<sip:b@example.com>", "id", "")).getMessage());
        assertEquals("Malformed Request-URI", rejected(request("sip:example.com;", VIA, "<sip:a@example.com>;tag=1",
                "<sip:b@example.com>", "id", "")).getMessage());
    }

    @Test
    void aBrokenResponseIsRejectedWithoutARequestToAnswer() {
        SipParseException e = rejected("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1\r\nFrom: <sip:a@b.example>;tag=1\r\n"
                + "To: <sip:c@d.example>;tag=2\r\nCall-ID: x\r\nCSeq: 2 BYE,\r\nContent-Length: 0\r\n\r\n");
        assertEquals("Malformed CSeq method", e.getMessage());
        assertEquals(null, e.partialRequest());
    }
}
