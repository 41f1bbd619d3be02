package io.webcall.account.token;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/** An issued access token. */
@Schema(name = "AccessToken")
public record TokenResponse(
        @Schema(description = "JWT (ES256); verify with /.well-known/jwks.json") String token,
        Instant expiresAt,
        @Schema(example = "sip:alice@acme.example.com") String identity) {
}
