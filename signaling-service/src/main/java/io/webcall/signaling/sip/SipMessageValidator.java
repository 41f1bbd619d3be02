package io.webcall.signaling.sip;

import java.util.Locale;

/**
 * The checks a parsed message must pass, each failing with the status and reason phrase of the error response: the
 * mandatory headers of RFC 3261 section 8.1.1 present and the single-valued ones not repeated, CSeq (section 20.16)
 * with its method matching the request method, Max-Forwards 0 to 255 (section 20.22), a supported Request-URI scheme
 * (416, section 8.2.2.1), and with {@link SipSyntax} the grammar of section 25.1 for the Request-URI, From, To,
 * Contact, Route, Record-Route, Via and Call-ID.
 */
final class SipMessageValidator {

    private static final String[] REQUIRED = {"Via", "From", "To", "Call-ID", "CSeq"};
    private static final String[] SINGLE = {"From", "To", "Call-ID", "CSeq", "Max-Forwards", "Content-Length"};
    private static final String[] ADDRESS_HEADERS = {"From", "To", "Contact", "Route", "Record-Route"};

    private SipMessageValidator() {
    }

    /** Splits a trimmed value at runs of white space (the regular expression {@code \s+} without one). */
    static String[] splitWhiteSpace(String value) {
        java.util.ArrayList<String> parts = new java.util.ArrayList<>(2);
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && isRegexSpace(value.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isRegexSpace(value.charAt(i))) {
                i++;
            }
            if (i > start) {
                parts.add(value.substring(start, i));
            }
        }
        if (parts.isEmpty()) {
            return new String[] {""};
        }
        return parts.toArray(new String[0]);
    }

    private static boolean isRegexSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /**
     * The headers {@link #validate} checks, gathered in one pass over the message (names are canonical after
     * {@link SipHeaderParser#readHeaders}): first value and count of the single-valued ones, every value of the others
     * in message order.
     */
    private static final class Checked {
        final java.util.ArrayList<String> vias = new java.util.ArrayList<>(2);
        final java.util.ArrayList<String> from = new java.util.ArrayList<>(1);
        final java.util.ArrayList<String> to = new java.util.ArrayList<>(1);
        final java.util.ArrayList<String> contacts = new java.util.ArrayList<>(1);
        final java.util.ArrayList<String> routes = new java.util.ArrayList<>(2);
        final java.util.ArrayList<String> recordRoutes = new java.util.ArrayList<>(2);
        String callId;
        String cseq;
        String maxForwards;
        int callIds;
        int cseqs;
        int maxForwardsCount;
        int contentLengths;

        Checked(SipMessage msg) {
            for (SipMessage.Header h : msg.headers()) {
                String v = h.value;
                switch (h.name) {
                    case "Via" -> vias.add(v);
                    case "From" -> from.add(v);
                    case "To" -> to.add(v);
                    case "Contact" -> contacts.add(v);
                    case "Route" -> routes.add(v);
                    case "Record-Route" -> recordRoutes.add(v);
                    case "Call-ID" -> {
                        if (callIds++ == 0) {
                            callId = v;
                        }
                    }
                    case "CSeq" -> {
                        if (cseqs++ == 0) {
                            cseq = v;
                        }
                    }
                    case "Max-Forwards" -> {
                        if (maxForwardsCount++ == 0) {
                            maxForwards = v;
                        }
                    }
                    case "Content-Length" -> contentLengths++;
                    default -> {
                    }
                }
            }
        }

        /** First value of a header among those checked for presence. */
        String first(String name) {
            return switch (name) {
                case "Via" -> vias.isEmpty() ? null : vias.get(0);
                case "From" -> from.isEmpty() ? null : from.get(0);
                case "To" -> to.isEmpty() ? null : to.get(0);
                case "Call-ID" -> callId;
                default -> cseq;
            };
        }

        /** Number of values of a header among those that must not repeat. */
        int count(String name) {
            return switch (name) {
                case "From" -> from.size();
                case "To" -> to.size();
                case "Call-ID" -> callIds;
                case "CSeq" -> cseqs;
                case "Max-Forwards" -> maxForwardsCount;
                default -> contentLengths;
            };
        }

        /** Every value of an address header, in message order. */
        java.util.List<String> values(String name) {
            return switch (name) {
                case "From" -> from;
                case "To" -> to;
                case "Contact" -> contacts;
                case "Route" -> routes;
                default -> recordRoutes;
            };
        }
    }

    /** Throws the error response's status and reason for the first check {@code msg} fails. */
    static void validate(SipMessage msg) throws SipParseException {
        Checked c = new Checked(msg);
        for (String h : REQUIRED) {
            String v = c.first(h);
            if (v == null || v.isBlank()) {
                throw SipParseException.answering(400, "Missing " + h + " header", msg);
            }
        }
        for (String h : SINGLE) {
            if (c.count(h) > 1) {
                throw SipParseException.answering(400, "Duplicate " + h + " header", msg);
            }
        }
        String[] cseq = splitWhiteSpace(c.cseq.trim());
        if (cseq.length != 2) {
            throw SipParseException.answering(400, "Malformed CSeq", msg);
        }
        try {
            long n = Long.parseLong(cseq[0]);
            if (n < 0 || n > 0xFFFFFFFFL) {
                throw SipParseException.answering(400, "CSeq number out of range", msg);
            }
        } catch (NumberFormatException e) {
            throw SipParseException.answering(400, "Malformed CSeq number", msg);
        }
        for (int k = 0; k < cseq[1].length(); k++) {
            if (!SipBasicRules.isToken(cseq[1].charAt(k))) {
                throw SipParseException.answering(400, "Malformed CSeq method", msg);
            }
        }
        if (msg.isRequest()) {
            if (!cseq[1].equals(msg.method())) {
                throw SipParseException.answering(400, "CSeq method does not match the request method", msg);
            }
            String mf = c.maxForwards;
            if (mf != null) {
                try {
                    int v = Integer.parseInt(mf.trim());
                    if (v < 0 || v > 255) {
                        throw SipParseException.answering(400, "Max-Forwards out of range", msg);
                    }
                } catch (NumberFormatException e) {
                    throw SipParseException.answering(400, "Malformed Max-Forwards", msg);
                }
            }
            String scheme = msg.requestUri().contains(":")
                    ? msg.requestUri().substring(0, msg.requestUri().indexOf(':')).toLowerCase(Locale.ROOT) : "";
            if (!scheme.equals("sip") && !scheme.equals("sips") && !scheme.equals("tel")) {
                throw SipParseException.answering(416, "Unsupported URI Scheme", msg);
            }
            if (scheme.startsWith("sip") && SipUri.parse(msg.requestUri()) == null) {
                throw SipParseException.answering(400, "Malformed Request-URI", msg);
            }
        }
        for (String via : c.vias) {
            // the plain prefix first: only a Via written otherwise needs the case and white space folded
            if (!via.startsWith("SIP/2.0/") && !via.toUpperCase(Locale.ROOT).replace(" ", "").startsWith("SIP/2.0/")) {
                throw SipParseException.answering(400, "Malformed Via", msg);
            }
        }
        if (c.to.size() == 1 && SipHeaders.uri(c.to.get(0)).isEmpty()) {
            throw SipParseException.answering(400, "Malformed To", msg);
        }
        checkSyntax(msg, c);
    }

    /**
     * The grammar of RFC 3261 section 25.1 for what the edge routes on: Request-URI, From, To, Contact, Route,
     * Record-Route, every Via and the Call-ID (the reason names the header and what is wrong with it).
     */
    private static void checkSyntax(SipMessage msg, Checked c) throws SipParseException {
        if (msg.isRequest() && SipSyntax.requestUri(msg.requestUri()) != null) {
            throw SipParseException.answering(400, "Malformed Request-URI", msg);
        }
        String callId = SipSyntax.callId(c.callId.trim());
        if (callId != null) {
            throw SipParseException.answering(400, callId, msg);
        }
        for (String via : c.vias) {
            String bad = SipSyntax.via(via);
            if (bad != null) {
                throw SipParseException.answering(400, bad, msg);
            }
        }
        for (String h : ADDRESS_HEADERS) {
            for (String v : c.values(h)) {
                String bad = SipSyntax.address(v, h.equals("Contact"), h.endsWith("Route"));
                if (bad != null) {
                    throw SipParseException.answering(400, "Malformed " + h + ": " + bad, msg);
                }
            }
        }
    }
}
