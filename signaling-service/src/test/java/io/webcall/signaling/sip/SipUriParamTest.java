package io.webcall.signaling.sip;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link SipUri#param} (a scan) gives what splitting the URI parameters at ';' gives, on parameters of every shape. */
class SipUriParamTest {

    /** The same lookup by splitting: the reference. */
    static String bySplit(String params, String name) {
        for (String p : params.split(";")) {
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq);
            if (key.equalsIgnoreCase(name)) {
                return eq < 0 ? "" : p.substring(eq + 1);
            }
        }
        return null;
    }

    @Test
    void typicalRouteParameters() {
        SipUri u = SipUri.parse("sip:127.0.0.1:5060;transport=tcp;lr;wcedge=e1;ftok=ws1abc;ttok=");
        assertEquals("tcp", u.param("transport"));
        assertEquals("", u.param("lr"));
        assertEquals("e1", u.param("WCEDGE"));
        assertEquals("ws1abc", u.param("ftok"));
        assertEquals("", u.param("ttok"));
        assertEquals(null, u.param("wcsig"));
        assertEquals(null, SipUri.parse("sip:alice@example.com").param("transport"));
        assertEquals("b=c", SipUri.parse("sip:h;a=b=c").param("a"));
    }

    @Test
    void sameAsSplittingOnRandomParameters() {
        Random random = new Random(7);
        String alphabet = "aAbB;=;;x=";
        String[] names = {"a", "b", "ab", "x", "A", "ba", "aa"};
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(12);
            for (int k = 0; k < len; k++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String params = sb.toString();
            SipUri u = new SipUri("sip", null, "h", -1, params);
            for (String name : names) {
                assertEquals(bySplit(params, name), u.param(name), () -> "params '" + params + "' name " + name);
            }
        }
    }
}
