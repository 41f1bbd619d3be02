package io.webcall.account.tenant;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.account.AccountApi;
import io.webcall.account.AccountApi.TestTenant;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.webcall.account.AccountApi.admin;
import static io.webcall.account.AccountApi.as;
import static io.webcall.account.AccountApi.createTenant;
import static io.webcall.account.AccountApi.uniqueDomain;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class TenantResourceTest {

    @Test
    void operatorCreatesTenantWithTrunkAndThePasswordIsNeverReturned() {
        String domain = uniqueDomain("acme");
        String body = admin().body(Map.of("name", "Acme", "domain", domain.toUpperCase(),
                        "pbx", Map.of("uri", "sip:PBX.Acme.test:5080", "transport", "tcp", "username", "trunk", "password", "trunk-secret")))
                .post("/v1/tenants")
                .then().statusCode(201)
                .header("Location", containsString("/v1/tenants/"))
                .body("name", equalTo("Acme"))
                .body("domain", equalTo(domain))
                .body("status", equalTo("active"))
                .body("pbx.uri", equalTo("sip:pbx.acme.test:5080"))
                .body("pbx.transport", equalTo("tcp"))
                .body("pbx.username", equalTo("trunk"))
                .body("pbx.passwordSet", equalTo(true))
                .body("createdAt", notNullValue())
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(body.contains("trunk-secret"), body);
        String id = io.restassured.path.json.JsonPath.from(body).getString("id");

        String fetched = admin().get("/v1/tenants/" + id).then().statusCode(200)
                .body("domain", equalTo(domain)).body("pbx.passwordSet", equalTo(true)).extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(fetched.contains("trunk-secret"), fetched);
    }

    @Test
    void listFiltersByDomainAndPages() {
        String first = uniqueDomain("list");
        String second = uniqueDomain("list");
        String firstId = createTenant(first);
        createTenant(second);

        admin().queryParam("domain", first).get("/v1/tenants").then().statusCode(200)
                .body("$", hasSize(1)).body("[0].id", equalTo(firstId));
        admin().queryParam("domain", "absent-" + first).get("/v1/tenants").then().statusCode(200).body("$", hasSize(0));
        admin().queryParam("limit", 1000).get("/v1/tenants").then().statusCode(200)
                .body("domain", hasItem(first)).body("domain", hasItem(second));
        admin().queryParam("limit", 1).get("/v1/tenants").then().statusCode(200).body("$", hasSize(1));
        admin().queryParam("limit", 0).get("/v1/tenants").then().statusCode(400).body("field", equalTo("limit"));
        admin().queryParam("offset", "x").get("/v1/tenants").then().statusCode(400).body("field", equalTo("offset"));
    }

    @Test
    void patchChangesOnlyGivenFieldsAndNullRemovesTrunk() {
        String domain = uniqueDomain("patch");
        String id = admin().body(Map.of("name", "Before", "domain", domain, "pbx", Map.of("uri", "sip:10.1.2.3")))
                .post("/v1/tenants").then().statusCode(201)
                .body("pbx.transport", equalTo("udp")).body("pbx.passwordSet", equalTo(false))
                .extract().path("id");

        admin().body(Map.of("name", "After", "status", "suspended")).patch("/v1/tenants/" + id)
                .then().statusCode(200)
                .body("name", equalTo("After")).body("status", equalTo("suspended"))
                .body("domain", equalTo(domain)).body("pbx.uri", equalTo("sip:10.1.2.3"));

        Map<String, Object> removeTrunk = new HashMap<>();
        removeTrunk.put("pbx", null);
        admin().body(removeTrunk).patch("/v1/tenants/" + id).then().statusCode(200)
                .body("pbx", nullValue()).body("name", equalTo("After"));

        admin().body(Map.of("status", "closed")).patch("/v1/tenants/" + id).then().statusCode(400)
                .body("error", equalTo("invalid_field")).body("field", equalTo("status"));
    }

    @Test
    void domainChangeIsRefusedWhileTheTenantHasUsersBecauseHa1DependsOnTheRealm() {
        String domain = uniqueDomain("realm");
        String id = createTenant(domain);
        String renamed = uniqueDomain("renamed");
        // without users the domain may change
        admin().body(Map.of("domain", renamed)).patch("/v1/tenants/" + id).then().statusCode(200).body("domain", equalTo(renamed));

        AccountApi.createUser(id, "alice", "secret-pw");
        admin().body(Map.of("domain", uniqueDomain("again"))).patch("/v1/tenants/" + id).then().statusCode(409)
                .body("error", equalTo("conflict")).body("field", equalTo("domain"))
                .body("message", containsString("realm"));
        admin().get("/v1/tenants/" + id).then().body("domain", equalTo(renamed));
        // the same domain again is not a change
        admin().body(Map.of("domain", renamed)).patch("/v1/tenants/" + id).then().statusCode(200);
    }

    @Test
    void duplicateDomainIsConflict() {
        String domain = uniqueDomain("dup");
        createTenant(domain);
        admin().body(Map.of("name", "Second", "domain", domain.toUpperCase())).post("/v1/tenants").then().statusCode(409)
                .body("error", equalTo("conflict")).body("field", equalTo("domain"));

        String other = createTenant(uniqueDomain("dup-other"));
        admin().body(Map.of("domain", domain)).patch("/v1/tenants/" + other).then().statusCode(409).body("field", equalTo("domain"));
    }

    @Test
    void deleteRemovesTenantWithItsUsersAndKeys() {
        TestTenant tenant = AccountApi.tenantWithUsers("delete");
        // the key was just verified (and is remembered): deleting the tenant must still stop it at once
        as(tenant.apiKey()).get("/v1/tenants/" + tenant.id() + "/users").then().statusCode(200);
        admin().delete("/v1/tenants/" + tenant.id()).then().statusCode(204);
        admin().get("/v1/tenants/" + tenant.id()).then().statusCode(404).body("error", equalTo("not_found"));
        admin().delete("/v1/tenants/" + tenant.id()).then().statusCode(404);
        as(tenant.apiKey()).get("/v1/tenants/" + tenant.id() + "/users").then().statusCode(401);
        given(AccountApi.INTERNAL_TOKEN).get("/v1/internal/credentials/" + tenant.domain() + "/alice").then().statusCode(404);
    }

    @Test
    void invalidDomainsAndTrunksNameTheField() {
        for (String bad : List.of("", "-bad.example", "bad_domain.example", "a..b", "exa mple.com", "x".repeat(64) + ".com",
                "sip:demo.example")) {
            admin().body(Map.of("name", "Bad", "domain", bad)).post("/v1/tenants").then().statusCode(400)
                    .body("error", equalTo("invalid_field")).body("field", equalTo("domain"));
        }
        admin().body(Map.of("domain", uniqueDomain("noname"))).post("/v1/tenants").then().statusCode(400).body("field", equalTo("name"));
        for (String badUri : List.of("http://pbx.example", "pbx.example", "sip:", "sip:pbx.example:99999", "sip:bad_host",
                "sip:[zz::1]", "sip:pbx.example?header=x")) {
            admin().body(Map.of("name", "Bad", "domain", uniqueDomain("uri"), "pbx", Map.of("uri", badUri)))
                    .post("/v1/tenants").then().statusCode(400).body("field", equalTo("pbx.uri"));
        }
        admin().body(Map.of("name", "Bad", "domain", uniqueDomain("tr"), "pbx", Map.of("uri", "sip:pbx.example", "transport", "sctp")))
                .post("/v1/tenants").then().statusCode(400).body("field", equalTo("pbx.transport"));
        admin().body(Map.of("name", "Bad", "domain", uniqueDomain("pw"), "pbx", Map.of("uri", "sip:pbx.example", "password", "x")))
                .post("/v1/tenants").then().statusCode(400).body("field", equalTo("pbx.username"));
        admin().body(Map.of("name", "Ok", "domain", uniqueDomain("v6"), "pbx", Map.of("uri", "sips:[2001:db8::1]", "transport", "tls")))
                .post("/v1/tenants").then().statusCode(201).body("pbx.uri", equalTo("sips:[2001:db8::1]"));
    }

    @Test
    void tenantKeysCannotUseTheOperatorApi() {
        TestTenant a = AccountApi.tenantWithUsers("op-a");
        TestTenant b = AccountApi.tenantWithUsers("op-b");

        as(a.apiKey()).get("/v1/tenants/" + a.id()).then().statusCode(200).body("id", equalTo(a.id()));
        as(a.apiKey()).get("/v1/tenants/" + b.id()).then().statusCode(404).body("error", equalTo("not_found"));
        as(a.apiKey()).get("/v1/tenants").then().statusCode(403).body("error", equalTo("forbidden"));
        as(a.apiKey()).queryParam("domain", b.domain()).get("/v1/tenants").then().statusCode(403);
        as(a.apiKey()).body(Map.of("name", "X", "domain", uniqueDomain("x"))).post("/v1/tenants").then().statusCode(403);
        as(a.apiKey()).body(Map.of("name", "Mine")).patch("/v1/tenants/" + a.id()).then().statusCode(403);
        as(a.apiKey()).body(Map.of("name", "Theirs")).patch("/v1/tenants/" + b.id()).then().statusCode(404);
        as(a.apiKey()).delete("/v1/tenants/" + b.id()).then().statusCode(404);
        as(a.apiKey()).delete("/v1/tenants/" + a.id()).then().statusCode(403);
        admin().get("/v1/tenants/" + b.id()).then().statusCode(200).body("name", not(equalTo("Theirs")));
    }

    @Test
    void badTenantIdsAre400NamingTheParameter() {
        admin().get("/v1/tenants/not-a-uuid").then().statusCode(400).body("field", equalTo("id"));
        admin().delete("/v1/tenants/1234").then().statusCode(400).body("field", equalTo("id"));
        admin().get("/v1/tenants/00000000-0000-0000-0000-000000000000").then().statusCode(404).body("error", equalTo("not_found"));
    }

    private static io.restassured.specification.RequestSpecification given(String internalToken) {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + internalToken);
    }
}
