package io.webcall.account.error;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Builds JSON error responses. */
public final class ErrorResponses {

    private ErrorResponses() {
    }

    public static Response of(int status, String code, String message, String field) {
        return of(status, new ApiError(code, message, field));
    }

    public static Response of(int status, ApiError error) {
        Response.ResponseBuilder builder = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(error);
        if (status == 401) {
            builder.header("WWW-Authenticate", "Bearer");
        }
        return builder.build();
    }

    public static Response of(ApiException e) {
        return of(e.status(), e.toError());
    }
}
