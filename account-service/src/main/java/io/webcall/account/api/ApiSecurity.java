package io.webcall.account.api;

/** Names of the OpenAPI security schemes. */
public final class ApiSecurity {

    public static final String API_KEY = "apiKey";
    public static final String ACCESS_TOKEN = "accessToken";
    public static final String INTERNAL = "internalToken";

    private ApiSecurity() {
    }
}
