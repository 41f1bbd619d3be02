package io.webcall.account.apikey;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A newly created API key: the only response that carries the secret. */
@Schema(name = "ApiKeyCreated")
public record ApiKeyCreatedResponse(UUID id, String name, String prefix,
                                    @Schema(description = "the key; shown only now, store it", example = "wk_...") String key,
                                    Instant createdAt) {
}
