package io.webcall.signaling.sip;

/**
 * Reads the start line of a message: a Request-Line {@code Method SP Request-URI SP SIP-Version} (RFC 3261 section
 * 7.1) or a Status-Line {@code SIP-Version SP Status-Code SP Reason-Phrase} (section 7.2), with the method a token
 * (section 25.1) and the version SIP/2.0 (505 Version Not Supported otherwise, section 21.5.6).
 */
final class SipStartLineParser {

    private SipStartLineParser() {
    }

    /** {@code line.split(" ", 3)} without the list and array growth: up to two single spaces split, the rest stays whole. */
    static String[] splitStartLine(String line) {
        int first = line.indexOf(' ');
        if (first < 0) {
            return new String[] {line};
        }
        int second = line.indexOf(' ', first + 1);
        if (second < 0) {
            return new String[] {line.substring(0, first), line.substring(first + 1)};
        }
        return new String[] {line.substring(0, first), line.substring(first + 1, second), line.substring(second + 1)};
    }

    /**
     * The request or response the start line opens. A malformed Request-Line or an unsupported version still yields
     * the request in the exception ({@link SipParseException#partialRequest()}) so the edge can answer it.
     */
    static SipMessage parse(String line) throws SipParseException {
        String[] parts = splitStartLine(line);
        if (parts.length < 3) {
            throw new SipParseException(400, "Malformed start line", null);
        }
        if (parts[0].startsWith("SIP/")) {
            if (!parts[0].equals("SIP/2.0")) {
                throw new SipParseException(400, "Unsupported SIP version in response", null);
            }
            int status;
            try {
                status = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw new SipParseException(400, "Malformed status code", null);
            }
            if (status < 100 || status > 699 || parts[1].length() != 3) {
                throw new SipParseException(400, "Status code out of range", null);
            }
            return SipMessage.response(status, parts[2]);
        }
        String method = parts[0];
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (!Character.isLetterOrDigit(c) && "-.!%*_+`'~".indexOf(c) < 0) {
                throw new SipParseException(400, "Malformed method", null);
            }
        }
        SipMessage req = SipMessage.request(method, parts[1]);
        if (parts[1].contains(" ") || parts[2].contains(" ") || parts[1].isEmpty() || parts[1].startsWith("<")) {
            throw new SipParseException(400, "Malformed Request-Line", req);
        }
        if (!parts[2].equalsIgnoreCase("SIP/2.0")) {
            throw new SipParseException(505, "Version Not Supported", req);
        }
        return req;
    }
}
