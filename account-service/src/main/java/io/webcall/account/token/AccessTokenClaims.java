package io.webcall.account.token;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The claims of an access token (JWT, RFC 7519): {@code sub} username, {@code tenant} tenant id,
 * {@code domain} SIP domain, {@code aor} the user's address of record, {@code grants}.
 */
public record AccessTokenClaims(String username, UUID tenantId, String domain, String aor, List<String> grants,
                                Instant issuedAt, Instant expiresAt, String jwtId) {
}
