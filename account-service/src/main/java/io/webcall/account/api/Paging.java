package io.webcall.account.api;

import io.webcall.account.error.ApiException;

/**
 * Checks of the paging query parameters of listings: {@code limit} / {@code offset} (tenants,
 * users) and {@code pageSize} (cursor-paged calls and webhook deliveries).
 */
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

    /** A {@code pageSize} of 1..{@code max}; absent means {@code defaultSize}. */
    public static int pageSize(String value, int defaultSize, int max) {
        if (value == null) {
            return defaultSize;
        }
        int size = integer("pageSize", value);
        if (size < 1 || size > max) {
            throw ApiException.invalid("pageSize", "pageSize must be between 1 and " + max);
        }
        return size;
    }

    private static int integer(String field, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(field, field + " must be an integer");
        }
    }
}
