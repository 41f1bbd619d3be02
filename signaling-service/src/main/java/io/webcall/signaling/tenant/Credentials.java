package io.webcall.signaling.tenant;

import io.vertx.core.json.JsonObject;

/** A user's SIP digest credentials (HA1 values only, RFC 7616 section 3.4.2) from the account service. */
public record Credentials(String tenantId, String domain, String username, String displayName, boolean enabled,
                          String ha1Md5, String ha1Sha256, String realm) {

    static Credentials fromJson(JsonObject j) {
        return new Credentials(j.getString("tenantId"), j.getString("domain"), j.getString("username"),
                j.getString("displayName"), j.getBoolean("enabled", true), j.getString("ha1Md5"),
                j.getString("ha1Sha256"), j.getString("realm"));
    }
}
