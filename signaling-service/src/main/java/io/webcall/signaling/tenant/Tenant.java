package io.webcall.signaling.tenant;

import io.vertx.core.json.JsonObject;

/** A tenant as the account service's internal API describes it: its SIP domain and optional PBX trunk. */
public record Tenant(String id, String name, String domain, boolean active, Trunk pbx) {

    /** The tenant's upstream PBX; {@code username}/{@code password} are null when the trunk needs no digest. */
    public record Trunk(String uri, String transport, String username, String password) {
    }

    static Tenant fromJson(JsonObject j) {
        JsonObject p = j.getJsonObject("pbx");
        Trunk trunk = p == null ? null : new Trunk(p.getString("uri"), p.getString("transport", "udp"),
                p.getString("username"), p.getString("password"));
        return new Tenant(j.getString("id"), j.getString("name"), j.getString("domain"),
                "active".equals(j.getString("status", "active")), trunk);
    }
}
