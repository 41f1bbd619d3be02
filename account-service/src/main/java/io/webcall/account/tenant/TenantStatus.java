package io.webcall.account.tenant;

/** Whether a tenant's users may register and call. */
public enum TenantStatus {
    ACTIVE("active"), SUSPENDED("suspended");

    private final String wire;

    TenantStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static TenantStatus fromWire(String value) {
        for (TenantStatus status : values()) {
            if (status.wire.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException(value);
    }
}
