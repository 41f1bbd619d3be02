package io.webcall.account.auth;

import io.webcall.account.error.ApiException;
import jakarta.enterprise.context.RequestScoped;

/** The authenticated {@link Caller} of the current request, set by {@link ApiKeyFilter}. */
@RequestScoped
public class CallerHolder {

    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    public Caller get() {
        if (caller == null) {
            throw ApiException.unauthorized("an API key is required: Authorization: Bearer <key>");
        }
        return caller;
    }
}
