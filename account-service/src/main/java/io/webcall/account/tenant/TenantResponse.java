package io.webcall.account.tenant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.UUID;

/** A tenant as the operator API shows it (never with the trunk password). */
@Schema(name = "Tenant")
public record TenantResponse(
        UUID id,
        String name,
        String domain,
        @Schema(enumeration = {"active", "suspended"}) String status,
        @Schema(nullable = true) Pbx pbx,
        Instant createdAt,
        Instant updatedAt) {

    /** The trunk without its password; {@code passwordSet} tells whether one is stored. */
    @Schema(name = "PbxTrunk")
    public record Pbx(String uri, @Schema(enumeration = {"udp", "tcp", "tls"}) String transport,
                      @Schema(nullable = true) String username, boolean passwordSet) {
    }

    public static TenantResponse of(Tenant t) {
        Pbx pbx = t.hasPbx() ? new Pbx(t.pbxUri, t.pbxTransport, t.pbxUsername, t.pbxPasswordEnc != null) : null;
        return new TenantResponse(t.id, t.name, t.domain, t.status, pbx, t.createdAt, t.updatedAt);
    }
}
