package io.webcall.signaling.bench;

import java.util.ArrayList;
import java.util.List;

/** The few parts of a received SIP message the load client reads: status, headers (first or all), tags. */
final class SipText {

    private final String[] lines;
    private final String text;
    private final int bodyStart;
    final int status;

    SipText(String text) {
        this.text = text;
        int end = text.indexOf("\r\n\r\n");
        bodyStart = end < 0 ? text.length() : end + 4;
        lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
        status = lines[0].startsWith("SIP/2.0 ") ? Integer.parseInt(lines[0].substring(8, 11)) : 0;
    }

    /** The message body (empty when there is none). */
    String body() {
        return text.substring(bodyStart);
    }

    String header(String name) {
        List<String> all = headers(name);
        return all.isEmpty() ? null : all.get(0);
    }

    /** Every value of a header, comma-separated values of one line kept together. */
    List<String> headers(String name) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0 && lines[i].substring(0, c).trim().equalsIgnoreCase(name)) {
                out.add(lines[i].substring(c + 1).trim());
            }
        }
        return out;
    }

    /** A parameter of a header value, e.g. {@code tag} of To or {@code nonce} of WWW-Authenticate. */
    static String param(String value, String name) {
        if (value == null) {
            return null;
        }
        for (String part : value.split("[;,]")) {
            String p = part.trim();
            if (p.startsWith("Digest ")) {
                p = p.substring(7).trim();
            }
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
                return p.substring(eq + 1).trim().replace("\"", "");
            }
        }
        return null;
    }

    /** The URI inside angle brackets of a Contact or Record-Route value. */
    static String uri(String value) {
        int lt = value.indexOf('<');
        return lt < 0 ? value.split(";")[0] : value.substring(lt + 1, value.indexOf('>'));
    }
}
