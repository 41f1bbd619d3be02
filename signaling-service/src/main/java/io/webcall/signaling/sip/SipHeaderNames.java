package io.webcall.signaling.sip;

import java.util.Locale;

/**
 * Header names in the one form the edge stores and compares: the long form of a compact name (RFC 3261 section
 * 7.3.3) and the usual spelling of a known name written in any case (field names are case-insensitive, section 7.3.1).
 */
final class SipHeaderNames {

    /** The long forms {@link #canonicalName} returns, each mapped to itself: a name already written so is not lower-cased. */
    private static final java.util.Map<String, String> CANONICAL = java.util.Map.ofEntries(
            java.util.Map.entry("Call-ID", "Call-ID"), java.util.Map.entry("CSeq", "CSeq"), java.util.Map.entry("Via", "Via"),
            java.util.Map.entry("From", "From"), java.util.Map.entry("To", "To"), java.util.Map.entry("Contact", "Contact"),
            java.util.Map.entry("Route", "Route"), java.util.Map.entry("Record-Route", "Record-Route"),
            java.util.Map.entry("Max-Forwards", "Max-Forwards"), java.util.Map.entry("Content-Length", "Content-Length"),
            java.util.Map.entry("Content-Type", "Content-Type"), java.util.Map.entry("WWW-Authenticate", "WWW-Authenticate"),
            java.util.Map.entry("Proxy-Authenticate", "Proxy-Authenticate"), java.util.Map.entry("Authorization", "Authorization"),
            java.util.Map.entry("Proxy-Authorization", "Proxy-Authorization"), java.util.Map.entry("Session-Expires", "Session-Expires"),
            java.util.Map.entry("Min-SE", "Min-SE"), java.util.Map.entry("Expires", "Expires"));

    private SipHeaderNames() {
    }

    /** The canonical form of a header name as read from the wire; an unknown name is returned as written. */
    static String canonicalName(String name) {
        String known = CANONICAL.get(name);
        if (known != null) {
            return known;
        }
        if (name.length() == 1) {
            switch (Character.toLowerCase(name.charAt(0))) {
                case 'i': return "Call-ID";
                case 'm': return "Contact";
                case 'e': return "Content-Encoding";
                case 'l': return "Content-Length";
                case 'c': return "Content-Type";
                case 'f': return "From";
                case 's': return "Subject";
                case 'k': return "Supported";
                case 't': return "To";
                case 'v': return "Via";
                case 'o': return "Event";
                case 'r': return "Refer-To";
                case 'b': return "Referred-By";
                case 'u': return "Allow-Events";
                case 'x': return "Session-Expires";
                default: return name;
            }
        }
        switch (name.toLowerCase(Locale.ROOT)) {
            case "call-id": return "Call-ID";
            case "cseq": return "CSeq";
            case "via": return "Via";
            case "from": return "From";
            case "to": return "To";
            case "contact": return "Contact";
            case "route": return "Route";
            case "record-route": return "Record-Route";
            case "max-forwards": return "Max-Forwards";
            case "content-length": return "Content-Length";
            case "content-type": return "Content-Type";
            case "www-authenticate": return "WWW-Authenticate";
            case "proxy-authenticate": return "Proxy-Authenticate";
            case "authorization": return "Authorization";
            case "proxy-authorization": return "Proxy-Authorization";
            case "session-expires": return "Session-Expires";
            case "min-se": return "Min-SE";
            case "expires": return "Expires";
            default: return name;
        }
    }
}
