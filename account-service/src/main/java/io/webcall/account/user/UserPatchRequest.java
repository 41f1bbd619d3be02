package io.webcall.account.user;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code PATCH /v1/tenants/{tenantId}/users/{username}}: absent or null fields stay.
 * The username cannot change (it is part of the stored HA1); create a new user instead.
 */
@Schema(name = "UserPatchRequest", description = "Fields to change; absent fields stay. The username cannot change.")
public record UserPatchRequest(
        @Schema(maxLength = 128, nullable = true) String displayName,
        @Schema(description = "new SIP password (4 to 128 characters)", minLength = 4, maxLength = 128) String password,
        Boolean enabled) {
}
