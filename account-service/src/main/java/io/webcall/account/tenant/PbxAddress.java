package io.webcall.account.tenant;

import io.webcall.account.error.ApiException;
import io.webcall.account.validation.Fields;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PBX trunk address: a SIP or SIPS URI (RFC 3261 section 19.1.1) without headers, e.g.
 * {@code sip:pbx.example.com:5060} or {@code sip:10.0.0.5;transport=tcp}. The host and the port
 * (default 5060, or 5061 for {@code sips:} and TLS, section 19.1.2) identify the PBX when it sends
 * traffic to the edge.
 *
 * @param uri  the URI as stored (scheme and host lower-cased)
 * @param host host name, IPv4 address, or IPv6 address without brackets
 * @param port port the PBX listens on
 */
public record PbxAddress(String uri, String host, int port) {

    private static final Pattern SIP_URI = Pattern.compile(
            "(?i)(sips?):(?:([^@;?\\s]+)@)?(\\[[0-9a-f:.]+]|[a-z0-9.-]+)(?::(\\d{1,5}))?((?:;[a-z0-9\\-_.!~*'()%=]+)*)");

    public static PbxAddress parse(String field, String value, String transport) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, field + " is required");
        }
        if (value.length() > 512) {
            throw ApiException.invalid(field, field + " must be at most 512 characters");
        }
        Matcher m = SIP_URI.matcher(value.strip());
        if (!m.matches()) {
            throw ApiException.invalid(field, field + " must be a SIP URI such as sip:pbx.example.com:5060");
        }
        String scheme = m.group(1).toLowerCase(Locale.ROOT);
        String host = m.group(3).toLowerCase(Locale.ROOT);
        String bareHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (host.startsWith("[")) {
            if (!isIpv6(bareHost)) {
                throw ApiException.invalid(field, field + " has an invalid IPv6 address");
            }
        } else if (!Fields.isHostName(host)) {
            throw ApiException.invalid(field, field + " has an invalid host name");
        }
        int port;
        if (m.group(4) != null) {
            port = Integer.parseInt(m.group(4));
            if (port < 1 || port > 65535) {
                throw ApiException.invalid(field, field + " has a port outside 1..65535");
            }
        } else {
            port = "sips".equals(scheme) || "tls".equals(transport) ? 5061 : 5060;
        }
        if ("sips".equals(scheme) && !"tls".equals(transport)) {
            throw ApiException.invalid("pbx.transport", "a sips: URI needs transport tls");
        }
        StringBuilder normalized = new StringBuilder(scheme).append(':');
        if (m.group(2) != null) {
            normalized.append(m.group(2)).append('@');
        }
        normalized.append(host);
        if (m.group(4) != null) {
            normalized.append(':').append(port);
        }
        normalized.append(m.group(5));
        return new PbxAddress(normalized.toString(), bareHost, port);
    }

    private static boolean isIpv6(String literal) {
        if (!literal.contains(":")) {
            return false;
        }
        try {
            // A literal only: InetAddress does not resolve strings made of hex digits and colons.
            return InetAddress.getByName(literal).getAddress().length == 16;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
