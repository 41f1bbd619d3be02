package io.webcall.account.user;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.webcall.account.AccountApi;
import io.webcall.account.AccountApi.TestTenant;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;

import static io.webcall.account.AccountApi.admin;
import static io.webcall.account.AccountApi.as;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

@QuarkusTest
class UserResourceTest {

    @Test
    void tenantKeyManagesItsUsersAndNoPasswordOrHa1IsEverReturned() {
        TestTenant t = AccountApi.tenantWithUsers("users");
        String created = as(t.apiKey()).body(Map.of("username", "carol", "displayName", "Carol C", "password", "carol-pw-1"))
                .post("/v1/tenants/" + t.id() + "/users").then().statusCode(201)
                .body("username", equalTo("carol")).body("displayName", equalTo("Carol C"))
                .body("aor", equalTo("sip:carol@" + t.domain())).body("enabled", equalTo(true))
                .body("$", not(hasKey("password"))).body("$", not(hasKey("ha1Md5")))
                .extract().asString();
        assertFalse(created.contains("carol-pw-1"));

        as(t.apiKey()).get("/v1/tenants/" + t.id() + "/users").then().statusCode(200)
                .body("username", containsInAnyOrder("alice", "bob", "carol"));
        as(t.apiKey()).queryParam("limit", 1).queryParam("offset", 1).get("/v1/tenants/" + t.id() + "/users")
                .then().statusCode(200).body("username", equalTo(List.of("bob")));
        as(t.apiKey()).get("/v1/tenants/" + t.id() + "/users/carol").then().statusCode(200).body("displayName", equalTo("Carol C"));

        as(t.apiKey()).body(Map.of("displayName", "Caroline", "enabled", false)).patch("/v1/tenants/" + t.id() + "/users/carol")
                .then().statusCode(200).body("displayName", equalTo("Caroline")).body("enabled", equalTo(false));

        as(t.apiKey()).delete("/v1/tenants/" + t.id() + "/users/carol").then().statusCode(204);
        as(t.apiKey()).get("/v1/tenants/" + t.id() + "/users/carol").then().statusCode(404).body("error", equalTo("not_found"));
        as(t.apiKey()).delete("/v1/tenants/" + t.id() + "/users/carol").then().statusCode(404);
    }

    @Test
    void storedHa1IsTheRfc7616ValueWithTheTenantDomainAsRealm() throws Exception {
        TestTenant t = AccountApi.tenantWithUsers("ha1");
        Map<String, Object> creds = internal().get("/v1/internal/credentials/" + t.domain() + "/alice")
                .then().statusCode(200).extract().as(Map.class);
        assertEquals(hex("MD5", "alice:" + t.domain() + ":secret-pw"), creds.get("ha1Md5"));
        assertEquals(hex("SHA-256", "alice:" + t.domain() + ":secret-pw"), creds.get("ha1Sha256"));

        admin().body(Map.of("password", "changed-pw")).patch("/v1/tenants/" + t.id() + "/users/alice").then().statusCode(200);
        internal().get("/v1/internal/credentials/" + t.domain() + "/alice").then().statusCode(200)
                .body("ha1Md5", equalTo(hex("MD5", "alice:" + t.domain() + ":changed-pw")))
                .body("ha1Sha256", equalTo(hex("SHA-256", "alice:" + t.domain() + ":changed-pw")));
    }

    @Test
    void duplicateUsernameIsConflictButTheSameNameInAnotherTenantIsFine() {
        TestTenant a = AccountApi.tenantWithUsers("dup-a");
        TestTenant b = AccountApi.tenantWithUsers("dup-b");
        as(a.apiKey()).body(Map.of("username", "alice", "password", "another")).post("/v1/tenants/" + a.id() + "/users")
                .then().statusCode(409).body("error", equalTo("conflict")).body("field", equalTo("username"));
        as(b.apiKey()).body(Map.of("username", "dave", "password", "dave-pw")).post("/v1/tenants/" + b.id() + "/users")
                .then().statusCode(201);
        as(a.apiKey()).body(Map.of("username", "dave", "password", "dave-pw")).post("/v1/tenants/" + a.id() + "/users")
                .then().statusCode(201);
    }

    @Test
    void invalidUserFieldsNameTheField() {
        TestTenant t = AccountApi.tenantWithUsers("badusers");
        String users = "/v1/tenants/" + t.id() + "/users";
        for (String bad : List.of("", "has space", "a@b", "a:b", "a/b", "x".repeat(65), "ünicode")) {
            as(t.apiKey()).body(Map.of("username", bad, "password", "secret-pw")).post(users)
                    .then().statusCode(400).body("field", equalTo("username"));
        }
        as(t.apiKey()).body(Map.of("username", "echo", "password", "secret-pw")).post(users)
                .then().statusCode(400).body("field", equalTo("username"));
        as(t.apiKey()).body(Map.of("username", "eve")).post(users).then().statusCode(400).body("field", equalTo("password"));
        as(t.apiKey()).body(Map.of("username", "eve", "password", "abc")).post(users).then().statusCode(400).body("field", equalTo("password"));
        as(t.apiKey()).body(Map.of("username", "eve", "password", "p".repeat(129))).post(users).then().statusCode(400).body("field", equalTo("password"));
        as(t.apiKey()).body(Map.of("username", "eve", "password", "secret-pw", "displayName", "d".repeat(129))).post(users)
                .then().statusCode(400).body("field", equalTo("displayName"));
        as(t.apiKey()).body(Map.of("username", "+4930123456", "password", "secret-pw")).post(users).then().statusCode(201);
        as(t.apiKey()).body(Map.of("username", "alice2")).patch(users + "/alice").then().statusCode(400)
                .body("error", equalTo("unknown_field")).body("field", equalTo("username"));
        as(t.apiKey()).get(users + "/bad user").then().statusCode(400).body("field", equalTo("username"));
    }

    @Test
    void anotherTenantsKeySeesNoneOfItsUsers() throws Exception {
        TestTenant a = AccountApi.tenantWithUsers("iso-a");
        TestTenant b = AccountApi.tenantWithUsers("iso-b");
        String bUsers = "/v1/tenants/" + b.id() + "/users";

        as(a.apiKey()).get(bUsers).then().statusCode(404).body("error", equalTo("not_found"));
        as(a.apiKey()).get(bUsers + "/alice").then().statusCode(404);
        as(a.apiKey()).body(Map.of("username", "mallory", "password", "secret-pw")).post(bUsers).then().statusCode(404);
        as(a.apiKey()).body(Map.of("password", "hijacked")).patch(bUsers + "/alice").then().statusCode(404);
        as(a.apiKey()).delete(bUsers + "/alice").then().statusCode(404);

        as(b.apiKey()).get(bUsers).then().statusCode(200).body("username", containsInAnyOrder("alice", "bob"))
                .body("$", hasSize(2));
        internal().get("/v1/internal/credentials/" + b.domain() + "/alice").then().statusCode(200)
                .body("ha1Md5", equalTo(hex("MD5", "alice:" + b.domain() + ":secret-pw")));
        as(a.apiKey()).get("/v1/tenants/" + a.id() + "/users").then().statusCode(200).body("aor",
                containsInAnyOrder("sip:alice@" + a.domain(), "sip:bob@" + a.domain()));
    }

    @Test
    void unauthenticatedRequestsAre401() {
        TestTenant t = AccountApi.tenantWithUsers("unauth");
        String users = "/v1/tenants/" + t.id() + "/users";
        RestAssured.given().get(users).then().statusCode(401).body("error", equalTo("unauthorized"))
                .header("WWW-Authenticate", equalTo("Bearer"));
        as("wk_not_a_real_key").get(users).then().statusCode(401).body("error", equalTo("unauthorized"));
        RestAssured.given().header("Authorization", "Basic YWxpY2U6c2VjcmV0").get(users).then().statusCode(401);
        RestAssured.given().contentType("application/json").body(Map.of("username", "x", "password", "secret-pw"))
                .post(users).then().statusCode(401);
        RestAssured.given().delete(users + "/alice").then().statusCode(401);
        RestAssured.given().contentType("application/json").body(Map.of("enabled", false)).patch(users + "/alice").then().statusCode(401);
        as(t.apiKey()).get(users + "/alice").then().statusCode(200).body("enabled", equalTo(true));
    }

    private static io.restassured.specification.RequestSpecification internal() {
        return RestAssured.given().header("Authorization", "Bearer " + AccountApi.INTERNAL_TOKEN);
    }

    static String hex(String algorithm, String value) throws Exception {
        byte[] digest = MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8));
        return String.format("%0" + (digest.length * 2) + "x", new BigInteger(1, digest));
    }
}
