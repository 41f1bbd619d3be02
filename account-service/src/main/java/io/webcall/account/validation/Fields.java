package io.webcall.account.validation;

import io.webcall.account.error.ApiException;

import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Checks of request fields. Each failure is a 400 naming the field.
 */
public final class Fields {

    /** RFC 1123 host name label: letters, digits, hyphen; not starting or ending with a hyphen. */
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /**
     * SIP user part (RFC 3261 section 25.1, {@code user = 1*( unreserved / escaped / user-unreserved )}),
     * restricted to the unreserved characters plus {@code +} so it is also safe in URL paths:
     * letters, digits and {@code - _ . ! ~ * ' ( ) +}.
     */
    private static final Pattern SIP_USER = Pattern.compile("[A-Za-z0-9\\-_.!~*'()+]{1,64}");

    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    private Fields() {
    }

    /** A required, trimmed, printable text of at most {@code max} characters. */
    public static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, field + " is required");
        }
        return optionalText(field, value, max);
    }

    /** An optional printable text of at most {@code max} characters (null stays null). */
    public static String optionalText(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.length() > max) {
            throw ApiException.invalid(field, field + " must be at most " + max + " characters");
        }
        if (CONTROL.matcher(trimmed).find()) {
            throw ApiException.invalid(field, field + " must not contain control characters");
        }
        return trimmed;
    }

    /** A secret (password): required, 1..max characters, no control characters, not trimmed. */
    public static String secret(String field, String value, int min, int max) {
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid(field, field + " is required");
        }
        if (value.length() < min || value.length() > max) {
            throw ApiException.invalid(field, field + " must be " + min + " to " + max + " characters");
        }
        if (CONTROL.matcher(value).find()) {
            throw ApiException.invalid(field, field + " must not contain control characters");
        }
        return value;
    }

    /** A SIP domain: a DNS host name (RFC 1123), returned lower-case. */
    public static String sipDomain(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.invalid(field, field + " is required");
        }
        String domain = value.strip().toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if (!isHostName(domain)) {
            throw ApiException.invalid(field, field + " must be a DNS host name such as example.com "
                    + "(letters, digits, hyphens; labels of 1 to 63 characters; at most 253 characters)");
        }
        return domain;
    }

    public static boolean isHostName(String value) {
        if (value.isEmpty() || value.length() > 253) {
            return false;
        }
        for (String label : value.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** A SIP user part, see {@link #SIP_USER}. Case is kept (SIP user parts are case-sensitive). */
    public static String sipUser(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ApiException.invalid(field, field + " is required");
        }
        if (!SIP_USER.matcher(value).matches()) {
            throw ApiException.invalid(field, field + " must be 1 to 64 characters of letters, digits and - _ . ! ~ * ' ( ) +");
        }
        return value;
    }

    /** A UUID path or query parameter. */
    public static UUID uuid(String field, String value) {
        if (value == null || value.length() != 36) {
            throw ApiException.invalid(field, field + " must be a UUID");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.invalid(field, field + " must be a UUID");
        }
    }

    /** One of the given lower-case words. */
    public static String oneOf(String field, String value, String... allowed) {
        if (value != null) {
            for (String candidate : allowed) {
                if (candidate.equals(value)) {
                    return candidate;
                }
            }
        }
        throw ApiException.invalid(field, field + " must be one of " + String.join(", ", allowed));
    }
}
