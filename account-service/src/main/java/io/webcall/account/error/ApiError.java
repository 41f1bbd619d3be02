package io.webcall.account.error;

/**
 * The error body of every non-2xx answer of the service.
 *
 * @param error   machine-readable code, e.g. {@code invalid_field}, {@code not_found}
 * @param message what is wrong, for a human
 * @param field   the request field at fault (dotted path for nested fields), or null
 */
public record ApiError(String error, String message, String field) {
}
