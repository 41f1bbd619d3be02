package io.webcall.account.internal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.UUID;

/** A user's digest credentials for the edge: HA1 values only, never the password. */
@Schema(name = "InternalCredentials")
public record InternalCredentialsResponse(UUID tenantId, String domain, String username,
                                          @Schema(nullable = true) String displayName, boolean enabled,
                                          @Schema(description = "hex MD5(username:realm:password)") String ha1Md5,
                                          @Schema(description = "hex SHA-256(username:realm:password)") String ha1Sha256,
                                          @Schema(description = "digest realm = the tenant's domain") String realm) {
}
