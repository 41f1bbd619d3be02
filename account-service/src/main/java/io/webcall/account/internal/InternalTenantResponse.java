package io.webcall.account.internal;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.UUID;

/** A tenant as the signaling edge sees it, trunk password in clear (internal API only). */
@Schema(name = "InternalTenant")
public record InternalTenantResponse(UUID id, String name, String domain,
                                     @Schema(enumeration = {"active", "suspended"}) String status,
                                     @Schema(nullable = true) Pbx pbx) {

    /** Where and how the edge reaches the tenant's PBX. */
    @Schema(name = "InternalPbx")
    public record Pbx(@Schema(example = "sip:pbx.example.com:5060") String uri,
                      @Schema(enumeration = {"udp", "tcp", "tls"}) String transport,
                      @Schema(nullable = true) String username,
                      @Schema(nullable = true) String password) {
    }
}
