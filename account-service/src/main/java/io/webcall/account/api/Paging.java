package io.webcall.account.api;

import io.webcall.account.error.ApiException;

/** Checks of the {@code limit} / {@code offset} query parameters of listings. */
public final class Paging {

    public static final int MAX_LIMIT = 1000;

    private Paging() {
    }

    public static int limit(String value) {
        if (value == null) {
            return 100;
        }
        int limit = integer("limit", value);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ApiException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return limit;
    }

    public static int offset(String value) {
        if (value == null) {
            return 0;
        }
        int offset = integer("offset", value);
        if (offset < 0) {
            throw ApiException.invalid("offset", "offset must not be negative");
        }
        return offset;
    }

    private static int integer(String field, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, field + " must be an integer");
        }
    }
}
