package io.webcall.account.call;

import io.webcall.account.error.ApiException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Keyset position in the newest-first listing: the (start time, id) of the last call on the page.
 * The next page holds calls strictly older in that order, so calls that arrive meanwhile (newer)
 * neither shift nor repeat pages. Opaque to clients: base64url of {@code v1|micros|id|fingerprint}.
 */
record CallCursor(Instant startedAt, UUID id, String fingerprint) {

    String encode() {
        long micros = startedAt.getEpochSecond() * 1_000_000L + startedAt.getNano() / 1_000;
        String raw = "v1|" + micros + "|" + id + "|" + fingerprint;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static CallCursor decode(String value, CallFilter filter) {
        String raw;
        try {
            raw = new String(Base64.getUrlDecoder().decode(value.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String[] parts = raw.split("\\|", -1);
        if (parts.length != 4 || !"v1".equals(parts[0])) {
            throw invalid();
        }
        long micros;
        UUID id;
        try {
            micros = Long.parseLong(parts[1]);
            id = UUID.fromString(parts[2]);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        if (!parts[3].equals(filter.fingerprint())) {
            throw ApiException.invalid("cursor", "cursor belongs to a listing with other filters; start again without it");
        }
        Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
        return new CallCursor(at, id, parts[3]);
    }

    private static ApiException invalid() {
        return ApiException.invalid("cursor", "cursor is not a value returned as 'next' by this API");
    }
}
