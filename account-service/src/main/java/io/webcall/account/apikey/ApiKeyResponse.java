package io.webcall.account.apikey;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** An API key in listings: never the secret. */
@Schema(name = "ApiKey")
public record ApiKeyResponse(UUID id, String name,
                             @Schema(description = "first characters of the key", example = "wk_AbCdEfGh") String prefix,
                             Instant createdAt,
                             @Schema(nullable = true, description = "last use, at a resolution of about a minute") Instant lastUsedAt) {

    public static ApiKeyResponse of(ApiKey key) {
        return new ApiKeyResponse(key.id, key.name, key.prefix, key.createdAt, key.lastUsedAt);
    }
}
