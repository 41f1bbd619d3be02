package io.webcall.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Creates the demo tenant and its users through the account service's REST API, idempotently:
 * what exists is left alone (a user's password too), what is missing is created. With a PBX, the
 * tenant's trunk is set to it.
 */
final class DemoSeeder {

    static final String DEMO_DOMAIN = "demo.localhost";
    static final String DEMO_NAME = "Demo";
    static final List<String> DEMO_USERS = List.of("alice", "bob", "carol");
    static final String DEMO_PASSWORD = "demo";

    private final AccountAdminClient account;

    DemoSeeder(AccountAdminClient account) {
        this.account = account;
    }

    /** @return the demo tenant's id */
    String seed(PbxTrunk pbx) throws IOException, InterruptedException {
        Optional<JsonNode> existing = account.findTenant(DEMO_DOMAIN);
        String tenantId;
        if (existing.isEmpty()) {
            ObjectNode body = AccountAdminClient.json().createObjectNode()
                    .put("name", DEMO_NAME)
                    .put("domain", DEMO_DOMAIN);
            if (pbx != null) {
                body.set("pbx", trunk(pbx));
            }
            tenantId = account.createTenant(body).path("id").asText();
        } else {
            tenantId = existing.get().path("id").asText();
            if (pbx != null && !sameTrunk(existing.get().path("pbx"), pbx)) {
                account.patchTenant(tenantId, AccountAdminClient.json().createObjectNode().set("pbx", trunk(pbx)));
            }
        }
        if (tenantId.isEmpty()) {
            throw new IOException("the account service returned the demo tenant without an id");
        }
        for (String user : DEMO_USERS) {
            account.createUserIfAbsent(tenantId, AccountAdminClient.json().createObjectNode()
                    .put("username", user)
                    .put("displayName", Character.toUpperCase(user.charAt(0)) + user.substring(1))
                    .put("password", DEMO_PASSWORD)
                    .put("enabled", true));
        }
        return tenantId;
    }

    private static ObjectNode trunk(PbxTrunk pbx) {
        return AccountAdminClient.json().createObjectNode()
                .put("uri", pbx.uri())
                .put("transport", pbx.transport());
    }

    private static boolean sameTrunk(JsonNode stored, PbxTrunk pbx) {
        return stored.isObject()
                && stored.path("uri").asText().equalsIgnoreCase(pbx.uri())
                && stored.path("transport").asText("udp").toLowerCase(Locale.ROOT).equals(pbx.transport());
    }
}
