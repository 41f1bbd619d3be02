package io.webcall.account.tenant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The PBX trunk of a tenant, as sent by the operator. */
@Schema(name = "PbxTrunkRequest", description = "PBX trunk: where the tenant's calls to the PSTN/PBX go")
public record PbxTrunkRequest(
        @Schema(description = "SIP URI of the PBX", example = "sip:pbx.example.com:5060", required = true)
        String uri,
        @Schema(description = "transport toward the PBX", enumeration = {"udp", "tcp", "tls"}, defaultValue = "udp")
        String transport,
        @Schema(description = "digest username the edge answers the PBX's challenges with", nullable = true)
        String username,
        @Schema(description = "digest password (stored encrypted, never returned)", nullable = true)
        String password) {
}
