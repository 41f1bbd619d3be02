package io.webcall.signaling.sip;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link SipHeaders#param} (a scan) gives what a regular-expression reading of the grammar gives, on header values of every shape. */
class SipHeadersParamTest {

    /** A name-addr at the start of a header value: display name (tokens or quoted strings), then {@code <...>}. */
    private static final Pattern NAME_ADDR = Pattern.compile("^(?:[^<\";]|\"(?:[^\"\\\\]|\\\\.)*\")*<[^>]*>");
    /** One parameter segment: anything but ';' and quoted strings. */
    private static final Pattern SEGMENT = Pattern.compile(";((?:[^;\"]|\"(?:[^\"\\\\]|\\\\.|\\\\$)*(?:\"|$))*)");

    /** The same lookup with regular expressions: the reference. */
    static String byPattern(String headerValue, String name) {
        Matcher addr = NAME_ADDR.matcher(headerValue);
        String params = addr.find() ? headerValue.substring(addr.end()) : headerValue;
        // before the first ';' (outside quotes) is the value itself
        Matcher lead = Pattern.compile("^(?:[^;\"]|\"(?:[^\"\\\\]|\\\\.|\\\\$)*(?:\"|$))*").matcher(params);
        lead.find();
        Matcher m = SEGMENT.matcher(params);
        int at = lead.end();
        while (at < params.length() && m.find(at) && m.start() == at) {
            String p = m.group(1).trim();
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq).trim();
            if (key.equalsIgnoreCase(name)) {
                return eq < 0 ? "" : SipHeaders.unquote(p.substring(eq + 1).trim());
            }
            at = m.end();
        }
        return null;
    }

    @Test
    void typicalValues() {
        assertEquals("z9hG4bK1", SipHeaders.param("SIP/2.0/WSS h.invalid;branch=z9hG4bK1;rport", "branch"));
        assertEquals("", SipHeaders.param("SIP/2.0/WSS h.invalid;branch=z9hG4bK1;rport", "rport"));
        assertEquals("8s7d", SipHeaders.param("\"A;b\" <sip:a@b;tag=no>;TAG = 8s7d", "tag"));
        assertEquals("1", SipHeaders.param("<sip:a@b;transport=ws>;+sip.ice;reg-id=1;expires=600", "reg-id"));
        assertEquals(null, SipHeaders.param("<sip:a@b;lr>", "lr"));
        assertEquals(null, SipHeaders.param(null, "tag"));
    }

    /** RFC 5626 section 4.2: JsSIP puts {@code +sip.instance="<urn:uuid:...>"} among its Contact parameters. */
    @Test
    void parametersAfterAQuotedInstanceWithAngleBrackets() {
        String jssip = "<sip:k3d9@df7jal23ls0d.invalid;transport=ws;ob>;+sip.ice;reg-id=1;"
                + "+sip.instance=\"<urn:uuid:6a1c-4f>\";expires=600";
        assertEquals("<urn:uuid:6a1c-4f>", SipHeaders.param(jssip, "+sip.instance"));
        assertEquals("1", SipHeaders.param(jssip, "reg-id"));
        assertEquals("600", SipHeaders.param(jssip, "expires"));
        assertEquals(null, SipHeaders.param(jssip, "transport"));
        String instanceFirst = "<sip:b@h.invalid;transport=ws>;+sip.instance=\"<urn:uuid:1>\";reg-id=2";
        assertEquals("2", SipHeaders.param(instanceFirst, "reg-id"));
        assertEquals("<urn:uuid:1>", SipHeaders.param(instanceFirst, "+sip.instance"));
        assertEquals("x", SipHeaders.param("\"A <b> \\\" c\" <sip:a@b;tag=no>;tag=x", "tag"));
        assertEquals("a;b", SipHeaders.param("<sip:a@b>;q=\"a;b\";tag=t", "q"));
        assertEquals("t", SipHeaders.param("<sip:a@b>;q=\"a;b\";tag=t", "tag"));
        assertEquals("<sip:k3d9@df7jal23ls0d.invalid;transport=ws;ob>;+sip.ice;reg-id=1;+sip.instance=\"<urn:uuid:6a1c-4f>\"",
                SipHeaders.withoutParam(jssip, "expires"));
        assertEquals("<sip:k3d9@df7jal23ls0d.invalid;transport=ws;ob>;+sip.ice;reg-id=1;expires=600",
                SipHeaders.withoutParam(jssip, "+sip.instance"));
    }

    @Test
    void sameAnswerAsSplittingOnRandomValues() {
        String alphabet = ";;==<>\" \tabtgAB\\";
        String[] names = {"a", "tag", "b", "ab", "A"};
        Random r = new Random(7);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder v = new StringBuilder();
            int len = r.nextInt(14);
            for (int i = 0; i < len; i++) {
                v.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String name = names[r.nextInt(names.length)];
            assertEquals(byPattern(v.toString(), name), SipHeaders.param(v.toString(), name), "'" + v + "' " + name);
        }
    }
}
