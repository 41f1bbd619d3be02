package io.webcall.account.apikey;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/tenants/{tenantId}/api-keys}. */
@Schema(name = "ApiKeyCreateRequest")
public record ApiKeyCreateRequest(
        @Schema(description = "what the key is for", example = "backend", maxLength = 100, defaultValue = "api key")
        String name) {
}
