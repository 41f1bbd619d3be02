package io.webcall.signaling.sip;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link SipHeaders#param} (a scan) gives what splitting at ';' gives, on header values of every shape. */
class SipHeadersParamTest {

    /** The same lookup with {@code String.split}: the reference. */
    static String bySplit(String headerValue, String name) {
        int gt = headerValue.lastIndexOf('>');
        int start = headerValue.indexOf('<') >= 0 && gt > 0 ? gt + 1 : 0;
        String[] parts = headerValue.substring(start).split(";");
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim();
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq).trim();
            if (key.equalsIgnoreCase(name)) {
                return eq < 0 ? "" : SipHeaders.unquote(p.substring(eq + 1).trim());
            }
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

    @Test
    void sameAnswerAsSplittingOnRandomValues() {
        String alphabet = ";;==<>\" \tabtgAB";
        String[] names = {"a", "tag", "b", "ab", "A"};
        Random r = new Random(7);
        for (int n = 0; n < 200_000; n++) {
            StringBuilder v = new StringBuilder();
            int len = r.nextInt(14);
            for (int i = 0; i < len; i++) {
                v.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String name = names[r.nextInt(names.length)];
            assertEquals(bySplit(v.toString(), name), SipHeaders.param(v.toString(), name), "'" + v + "' " + name);
        }
    }
}
