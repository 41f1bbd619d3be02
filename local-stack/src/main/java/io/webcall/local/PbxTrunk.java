package io.webcall.local;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PBX the demo tenant's calls go to, given as {@code sip:HOST:PORT} with an optional
 * {@code ;transport=udp|tcp|tls} parameter (RFC 3261 section 19.1.1 URI form, no user part).
 *
 * @param uri       {@code sip:HOST:PORT} as stored on the tenant
 * @param transport {@code udp}, {@code tcp} or {@code tls}
 */
public record PbxTrunk(String uri, String transport) {

    private static final Pattern FORM = Pattern.compile(
            "sip:(?<host>\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+)(?::(?<port>\\d{1,5}))?(?<params>(;[A-Za-z0-9=._-]+)*)");

    /** Parses {@code sip:HOST[:PORT][;transport=T]}; the port defaults to 5060, the transport to udp. */
    public static PbxTrunk parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("PBX must look like sip:HOST:PORT (optionally ;transport=udp|tcp|tls), not '" + text + "'");
        }
        int port = m.group("port") == null ? 5060 : Integer.parseInt(m.group("port"));
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("PBX port out of range 1-65535: " + text);
        }
        String transport = "udp";
        for (String param : m.group("params").split(";")) {
            if (param.toLowerCase(Locale.ROOT).startsWith("transport=")) {
                transport = param.substring("transport=".length()).toLowerCase(Locale.ROOT);
            }
        }
        if (!transport.equals("udp") && !transport.equals("tcp") && !transport.equals("tls")) {
            throw new IllegalArgumentException("PBX transport must be udp, tcp or tls, not '" + transport + "'");
        }
        return new PbxTrunk("sip:" + m.group("host") + ":" + port, transport);
    }

    @Override
    public String toString() {
        return transport.equals("udp") ? uri : uri + ";transport=" + transport;
    }
}
