package io.webcall.account.tenant;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Body of {@code PATCH /v1/tenants/{id}} (JSON merge patch, RFC 7396): a field that is absent stays
 * as it is; {@code "pbx": null} removes the trunk; a {@code pbx} object replaces the whole trunk.
 */
@Schema(name = "TenantPatchRequest", description = "Fields to change; absent fields stay. \"pbx\": null removes the trunk, "
        + "a pbx object replaces it (give the password again). The domain can only change while the tenant has no users, "
        + "because the users' stored digest HA1 values are bound to the domain (the realm).")
public class TenantPatchRequest {

    private String name;
    private boolean nameSet;
    private String domain;
    private boolean domainSet;
    private String status;
    private boolean statusSet;
    private PbxTrunkRequest pbx;
    private boolean pbxSet;

    @Schema(maxLength = 200)
    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
        this.nameSet = true;
    }

    public String getDomain() {
        return domain;
    }

    public void setDomain(String domain) {
        this.domain = domain;
        this.domainSet = true;
    }

    @Schema(enumeration = {"active", "suspended"})
    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
        this.statusSet = true;
    }

    @Schema(nullable = true)
    public PbxTrunkRequest getPbx() {
        return pbx;
    }

    public void setPbx(PbxTrunkRequest pbx) {
        this.pbx = pbx;
        this.pbxSet = true;
    }

    public boolean nameSet() {
        return nameSet;
    }

    public boolean domainSet() {
        return domainSet;
    }

    public boolean statusSet() {
        return statusSet;
    }

    public boolean pbxSet() {
        return pbxSet;
    }
}
