package io.webcall.signaling.sip;

/**
 * The basic rules of RFC 3261 section 25.1 the syntax checks are built from: the character classes (ALPHA, DIGIT,
 * token, word, paramchar), white space and the end of a quoted-string.
 */
final class SipBasicRules {

    private SipBasicRules() {
    }

    /** The index after the closing quote of a quoted-string starting at {@code from}, or -1 (section 25.1). */
    static int endOfQuoted(String s, int from, int to) {
        for (int k = from + 1; k < to; k++) {
            char c = s.charAt(k);
            if (c == '\\') {
                k++;
            } else if (c == '"') {
                return k + 1;
            }
        }
        return -1;
    }

    /** The index of the first character at or after {@code i} that is not SP or HTAB, at most {@code to}. */
    static int skipWs(String s, int i, int to) {
        while (i < to && isWs(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** {@code SP / HTAB}, the white space of LWS once line folding is undone (section 25.1). */
    static boolean isWs(char c) {
        return c == ' ' || c == '\t';
    }

    /** {@code ALPHA} (RFC 5234 core rules, used by section 25.1). */
    static boolean isAlpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    /** {@code DIGIT} (RFC 5234 core rules, used by section 25.1). */
    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** {@code token} characters (section 25.1). */
    static boolean isToken(char c) {
        return isAlpha(c) || isDigit(c) || "-.!%*_+`'~".indexOf(c) >= 0;
    }

    /** {@code paramchar}: unreserved, escaped and param-unreserved characters of a URI parameter (section 25.1). */
    static boolean isUriParamChar(char c) {
        return isToken(c) || "()&$/:[]".indexOf(c) >= 0;
    }

    /** {@code word} characters (section 25.1). */
    static boolean isWord(char c) {
        return isToken(c) || "()<>:\\\"/[]?{}".indexOf(c) >= 0;
    }
}
