package io.webcall.signaling.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Helpers for header values: parameters, comma lists and name-addr forms (RFC 3261 section 25.1). */
public final class SipHeaders {

    private SipHeaders() {
    }

    /**
     * Value of a header parameter ({@code ;name=value}) outside the angle brackets of a name-addr,
     * "" for a parameter without value, null when absent.
     */
    public static String param(String headerValue, String name) {
        if (headerValue == null) {
            return null;
        }
        int start = paramsStart(headerValue);
        // the parameters are the ';'-separated segments after the first ';' (a scan instead of String.split: this runs
        // several times per message); a ';' inside a quoted value does not separate
        int len = headerValue.length();
        int semi = nextSemicolon(headerValue, start);
        while (semi >= 0) {
            int next = nextSemicolon(headerValue, semi + 1);
            int end = next < 0 ? len : next;
            int a = semi + 1;
            int b = end;
            while (a < b && headerValue.charAt(a) <= ' ') {
                a++;
            }
            while (b > a && headerValue.charAt(b - 1) <= ' ') {
                b--;
            }
            int eq = headerValue.indexOf('=', a);
            if (eq >= b) {
                eq = -1;
            }
            int keyEnd = eq < 0 ? b : eq;
            while (keyEnd > a && headerValue.charAt(keyEnd - 1) <= ' ') {
                keyEnd--;
            }
            if (keyEnd - a == name.length() && headerValue.regionMatches(true, a, name, 0, name.length())) {
                return eq < 0 ? "" : unquote(headerValue.substring(eq + 1, b).trim());
            }
            semi = next;
        }
        return null;
    }

    /** Adds or replaces a header parameter after the name-addr. */
    public static String withParam(String headerValue, String name, String value) {
        String without = withoutParam(headerValue, name);
        return without + ";" + name + (value == null ? "" : "=" + value);
    }

    /** Removes a header parameter (outside angle brackets). */
    public static String withoutParam(String headerValue, String name) {
        int semi = nextSemicolon(headerValue, paramsStart(headerValue));
        if (semi < 0) {
            return headerValue;
        }
        StringBuilder sb = new StringBuilder(headerValue.length()).append(headerValue, 0, semi);
        while (semi >= 0) {
            int next = nextSemicolon(headerValue, semi + 1);
            String p = headerValue.substring(semi + 1, next < 0 ? headerValue.length() : next);
            int eq = p.indexOf('=');
            String key = (eq < 0 ? p : p.substring(0, eq)).trim();
            if (!key.equalsIgnoreCase(name)) {
                sb.append(';').append(p);
            }
            semi = next;
        }
        return sb.toString();
    }

    /**
     * Where a header value's parameters start: after the {@code >} closing a name-addr's {@code <} (RFC 3261 section
     * 25.1: {@code name-addr = [display-name] LAQUOT addr-spec RAQUOT}), or 0 for an addr-spec value. A {@code <} or
     * {@code >} inside a quoted display name or a quoted parameter value (RFC 5626's {@code +sip.instance="<urn:...>"})
     * is not one of them.
     */
    static int paramsStart(String headerValue) {
        int len = headerValue.length();
        for (int i = 0; i < len; i++) {
            char c = headerValue.charAt(i);
            if (c == '"') {
                i = closingQuote(headerValue, i);
            } else if (c == '<') {
                int gt = headerValue.indexOf('>', i + 1);
                return gt < 0 ? 0 : gt + 1;
            } else if (c == ';') {
                return 0;  // addr-spec form: its parameters are the header's
            }
        }
        return 0;
    }

    /** The next {@code ;} at or after {@code from} that is not inside a quoted string, or -1. */
    static int nextSemicolon(String headerValue, int from) {
        int len = headerValue.length();
        for (int i = from; i < len; i++) {
            char c = headerValue.charAt(i);
            if (c == '"') {
                i = closingQuote(headerValue, i);
            } else if (c == ';') {
                return i;
            }
        }
        return -1;
    }

    /** Index of the quote closing the quoted string opened at {@code open} (quoted-pair aware), or the last index. */
    private static int closingQuote(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return s.length() - 1;
    }

    /** URI inside a name-addr ({@code "Alice" <sip:a@b>;tag=1}) or the addr-spec itself. */
    public static String uri(String nameAddr) {
        if (nameAddr == null) {
            return null;
        }
        int lt = nameAddr.indexOf('<');
        if (lt >= 0) {
            int gt = nameAddr.indexOf('>', lt);
            return nameAddr.substring(lt + 1, gt < 0 ? nameAddr.length() : gt).trim();
        }
        String v = nameAddr.trim();
        int semi = v.indexOf(';');
        return semi < 0 ? v : v.substring(0, semi);
    }

    /** Splits a comma-separated header value, respecting quotes and angle brackets. */
    public static List<String> splitComma(String value) {
        List<String> out = new ArrayList<>(2);
        int depth = 0;
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' && (i == 0 || value.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && c == '<') {
                depth++;
            } else if (!quoted && c == '>') {
                depth--;
            } else if (!quoted && depth == 0 && c == ',') {
                String part = value.substring(start, i).trim();
                if (!part.isEmpty()) {
                    out.add(part);
                }
                start = i + 1;
            }
        }
        String last = value.substring(start).trim();
        if (!last.isEmpty()) {
            out.add(last);
        }
        return out;
    }

    public static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }

    /** Parses the parameters of an auth header ({@code Digest a="b", c=d}) into lower-case keys. */
    public static java.util.Map<String, String> authParams(String value) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        int sp = value.indexOf(' ');
        String rest = sp < 0 ? "" : value.substring(sp + 1);
        for (String part : splitComma(rest)) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).trim().toLowerCase(Locale.ROOT), unquote(part.substring(eq + 1).trim()));
            }
        }
        return out;
    }

    /** The auth scheme of an Authorization header value ({@code Digest}, {@code Bearer}). */
    public static String authScheme(String value) {
        String v = value.trim();
        int sp = v.indexOf(' ');
        return sp < 0 ? v : v.substring(0, sp);
    }
}
