package io.webcall.account.webhook;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The tenant's webhook signing secret. */
@Schema(name = "WebhookSigningSecret")
public record WebhookSecretView(
        @Schema(description = "HMAC-SHA256 key for the Webcall-Signature header") String secret,
        @Schema(description = "how deliveries are signed") String scheme) {

    static final String SCHEME = "Webcall-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + \".\" + raw body)>;"
            + " refuse t more than 5 minutes from now";

    static WebhookSecretView of(String secret) {
        return new WebhookSecretView(secret, SCHEME);
    }
}
