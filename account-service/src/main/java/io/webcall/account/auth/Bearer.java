package io.webcall.account.auth;

import java.util.Optional;

/** Reads the credentials of {@code Authorization: Bearer <token>} (RFC 6750 section 2.1). */
public final class Bearer {

    /** Longest credential considered; longer ones are refused without hashing. */
    public static final int MAX_LENGTH = 4096;

    private Bearer() {
    }

    public static Optional<String> token(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        if (value.length() < 7 || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = value.substring(7).strip();
        if (token.isEmpty() || token.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        return Optional.of(token);
    }
}
