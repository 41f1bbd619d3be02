package io.webcall.account.internal;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import io.webcall.account.AccountApi;
import io.webcall.account.tenant.Tenant;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static io.webcall.account.AccountApi.admin;
import static io.webcall.account.AccountApi.uniqueDomain;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class InternalResourceTest {

    @Test
    void tenantByDomainIncludesTheTrunkPasswordInClearForTheEdge() {
        String domain = uniqueDomain("edge");
        String id = admin().body(Map.of("name", "Edge Co", "domain", domain,
                        "pbx", Map.of("uri", "sip:pbx.edge.test:5070", "transport", "tcp", "username", "trunkuser", "password", "trunk pass")))
                .post("/v1/tenants").then().statusCode(201).extract().path("id");

        internal().get("/v1/internal/tenants/by-domain/" + domain.toUpperCase()).then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("id", equalTo(id)).body("name", equalTo("Edge Co")).body("domain", equalTo(domain))
                .body("status", equalTo("active"))
                .body("pbx.uri", equalTo("sip:pbx.edge.test:5070")).body("pbx.transport", equalTo("tcp"))
                .body("pbx.username", equalTo("trunkuser")).body("pbx.password", equalTo("trunk pass"));

        String stored = QuarkusTransaction.requiringNew().call(() -> Tenant.<Tenant>findById(UUID.fromString(id)).pbxPasswordEnc);
        assertTrue(stored.startsWith("v1:"));
        assertFalse(stored.contains("trunk pass"));

        String bare = AccountApi.createTenant(uniqueDomain("bare"));
        internal().get("/v1/internal/tenants/by-domain/" + admin().get("/v1/tenants/" + bare).then().extract().path("domain"))
                .then().statusCode(200).body("pbx", nullValue());
        internal().get("/v1/internal/tenants/by-domain/unknown-" + domain).then().statusCode(404)
                .body("error", equalTo("not_found")).body("message", equalTo("no tenant for domain unknown-" + domain));
        internal().get("/v1/internal/tenants/by-domain/bad_domain").then().statusCode(400).body("field", equalTo("domain"));
    }

    @Test
    void aTrunkGivenByHostNameMatchesTheAddressTheNameResolvesTo() {
        int port = 20000 + (int) (Math.random() * 40000);
        String byName = tenantWithTrunk("sip:localhost:" + port, "udp");
        String byAddress = tenantWithTrunk("sip:127.0.0.1:" + port, "udp");
        tenantWithTrunk("sip:nowhere-" + UUID.randomUUID().toString().substring(0, 8) + ".invalid:" + port, "udp");

        // the edge asks with the source address of the PBX's request
        internal().queryParam("host", "127.0.0.1").queryParam("port", port).get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(200).body("id", contains(byName, byAddress))
                .body("[0].pbx.uri", equalTo("sip:localhost:" + port));
        internal().queryParam("host", "127.0.0.2").queryParam("port", port).get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(200).body("$", hasSize(0));
        internal().queryParam("host", "127.0.0.1").queryParam("port", port + 1).get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(200).body("$", hasSize(0));
        // asked by name, only the trunks given by that name match (no resolution of the question)
        internal().queryParam("host", "localhost").queryParam("port", port).get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(200).body("id", contains(byName));
    }

    @Test
    void tenantsByPbxAddressMatchHostAndPort() {
        String host = "pbx-" + UUID.randomUUID().toString().substring(0, 8) + ".test";
        String a = tenantWithTrunk("sip:" + host + ":5060", "udp");
        String b = tenantWithTrunk("sip:" + host.toUpperCase(), "tcp");  // default port 5060
        String c = tenantWithTrunk("sip:" + host + ":5080", "udp");
        tenantWithTrunk("sip:other-" + host + ":5060", "udp");

        internal().queryParam("host", host).queryParam("port", 5060).get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(200).body("id", containsInAnyOrder(a, b));
        internal().queryParam("host", host).queryParam("port", 5080).get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(200).body("id", containsInAnyOrder(c)).body("[0].pbx.uri", equalTo("sip:" + host + ":5080"));
        internal().queryParam("host", host).get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(200).body("id", containsInAnyOrder(a, b, c));
        internal().queryParam("host", "nobody-" + host).queryParam("port", 5060).get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(200).body("$", hasSize(0));

        String v6 = tenantWithTrunk("sip:[2001:db8::" + Integer.toHexString((int) (Math.random() * 60000)) + "]:5062", "udp");
        String v6host = admin().get("/v1/tenants/" + v6).then().extract().<String>path("pbx.uri").replaceAll("sip:\\[(.*)]:5062", "$1");
        internal().queryParam("host", "[" + v6host + "]").queryParam("port", 5062).get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(200).body("id", containsInAnyOrder(v6));

        internal().get("/v1/internal/tenants/by-pbx-address").then().statusCode(400).body("field", equalTo("host"));
        internal().queryParam("host", host).queryParam("port", "x").get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(400).body("field", equalTo("port"));
        internal().queryParam("host", host).queryParam("port", 70000).get("/v1/internal/tenants/by-pbx-address")
                .then().statusCode(400).body("field", equalTo("port"));
    }

    @Test
    void credentialsGiveHa1OnlyAndTheEnabledFlag() {
        AccountApi.TestTenant t = AccountApi.tenantWithUsers("creds");
        admin().body(Map.of("enabled", false)).patch("/v1/tenants/" + t.id() + "/users/bob").then().statusCode(200);

        String body = internal().get("/v1/internal/credentials/" + t.domain() + "/alice").then().statusCode(200)
                .body("tenantId", equalTo(t.id())).body("domain", equalTo(t.domain())).body("username", equalTo("alice"))
                .body("displayName", equalTo("User alice")).body("enabled", equalTo(true)).body("realm", equalTo(t.domain()))
                .extract().asString();
        assertFalse(body.contains("secret-pw"));
        internal().get("/v1/internal/credentials/" + t.domain() + "/bob").then().statusCode(200).body("enabled", equalTo(false));
        internal().get("/v1/internal/credentials/" + t.domain() + "/nobody").then().statusCode(404).body("error", equalTo("not_found"));
        internal().get("/v1/internal/credentials/unknown-" + t.domain() + "/alice").then().statusCode(404);
        // SIP user parts are case-sensitive (RFC 3261 section 19.1.4)
        internal().get("/v1/internal/credentials/" + t.domain() + "/Alice").then().statusCode(404);
    }

    @Test
    void internalEndpointsRequireTheInternalToken() {
        AccountApi.TestTenant t = AccountApi.tenantWithUsers("internal-auth");
        for (String path : new String[] {"/v1/internal/tenants/by-domain/" + t.domain(),
                "/v1/internal/tenants/by-pbx-address?host=pbx.test&port=5060",
                "/v1/internal/credentials/" + t.domain() + "/alice"}) {
            RestAssured.given().get(path).then().statusCode(401).body("error", equalTo("unauthorized"));
            RestAssured.given().header("Authorization", "Bearer wrong-token").get(path).then().statusCode(401);
            // neither the operator key nor a tenant key opens the internal API
            RestAssured.given().header("Authorization", "Bearer " + AccountApi.ADMIN_KEY).get(path).then().statusCode(401);
            RestAssured.given().header("Authorization", "Bearer " + t.apiKey()).get(path).then().statusCode(401);
            internal().get(path).then().statusCode(200);
        }
    }

    private static String tenantWithTrunk(String uri, String transport) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", "Trunk " + uri);
        body.put("domain", uniqueDomain("trunk"));
        body.put("pbx", Map.of("uri", uri, "transport", transport));
        return admin().body(body).post("/v1/tenants").then().statusCode(201).extract().path("id");
    }

    private static RequestSpecification internal() {
        return RestAssured.given().header("Authorization", "Bearer " + AccountApi.INTERNAL_TOKEN);
    }
}
