package io.webcall.account.tenant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Body of {@code POST /v1/tenants}. */
@Schema(name = "TenantCreateRequest")
public record TenantCreateRequest(
        @Schema(description = "display name", example = "Acme Corp", required = true, maxLength = 200)
        String name,
        @Schema(description = "SIP domain (unique); also the digest realm of the tenant's users", example = "acme.example.com", required = true)
        String domain,
        @Schema(enumeration = {"active", "suspended"}, defaultValue = "active")
        String status,
        @Schema(nullable = true)
        PbxTrunkRequest pbx) {
}
