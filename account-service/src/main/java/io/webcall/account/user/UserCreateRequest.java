package io.webcall.account.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/tenants/{tenantId}/users}. */
@Schema(name = "UserCreateRequest")
public record UserCreateRequest(
        @Schema(description = "SIP user part: letters, digits and - _ . ! ~ * ' ( ) +, at most 64", example = "alice", required = true)
        String username,
        @Schema(description = "shown to callees", example = "Alice Liddell", maxLength = 128, nullable = true)
        String displayName,
        @Schema(description = "SIP digest password, 4 to 128 characters; stored only as HA1 (MD5 and SHA-256), never returned",
                required = true, minLength = 4, maxLength = 128)
        String password,
        @Schema(defaultValue = "true")
        Boolean enabled) {
}
