package io.webcall.account.call;

import io.webcall.account.error.ApiException;
import io.webcall.events.CallDirection;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Filters of {@code GET /v1/calls} and the CSV export, checked: a bad value is a 400 naming the
 * query parameter. {@code startedAfter} is inclusive, {@code startedBefore} exclusive.
 */
public record CallFilter(String from, String to, String user, CallStatus status, String direction,
                         Instant startedAfter, Instant startedBefore) {

    private static final int MAX_TEXT = 512;

    public static CallFilter parse(String from, String to, String user, String status, String direction,
                                   String startedAfter, String startedBefore) {
        CallStatus parsedStatus = null;
        if (status != null) {
            parsedStatus = CallStatus.parse(status.strip()).orElseThrow(() -> ApiException.invalid("status",
                    "status must be one of ringing, in-progress, completed, busy, no-answer, canceled, failed"));
        }
        String parsedDirection = null;
        if (direction != null) {
            parsedDirection = direction.strip().toLowerCase(Locale.ROOT);
            try {
                CallDirection.valueOf(parsedDirection.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("direction", "direction must be one of inbound, outbound, internal");
            }
        }
        Instant after = time("startedAfter", startedAfter);
        Instant before = time("startedBefore", startedBefore);
        if (after != null && before != null && !after.isBefore(before)) {
            throw ApiException.invalid("startedBefore", "startedBefore must be later than startedAfter");
        }
        return new CallFilter(text("from", from), text("to", to), text("user", user), parsedStatus, parsedDirection,
                after, before);
    }

    private static String text(String field, String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw ApiException.invalid(field, field + " must not be empty");
        }
        if (value.length() > MAX_TEXT || value.indexOf('\0') >= 0) {
            throw ApiException.invalid(field, field + " must be at most " + MAX_TEXT + " characters of text");
        }
        return value;
    }

    private static Instant time(String field, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip()).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, field + " must be an ISO-8601 date-time with offset, e.g. 2026-11-24T10:00:00Z");
        }
    }

    /** Short fingerprint of the filter, bound into cursors so a cursor is used with the filter it came from. */
    String fingerprint() {
        String canonical = String.join("\u0001", String.valueOf(from), String.valueOf(to), String.valueOf(user),
                String.valueOf(status), String.valueOf(direction), String.valueOf(startedAfter), String.valueOf(startedBefore));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
