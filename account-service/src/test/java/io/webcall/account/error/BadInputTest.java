package io.webcall.account.error;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.webcall.account.AccountApi;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.webcall.account.AccountApi.admin;
import static io.webcall.account.AccountApi.uniqueDomain;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

/** Malformed requests get a 4xx with a JSON error body naming what is wrong; nothing is stored. */
@QuarkusTest
class BadInputTest {

    @Test
    void malformedJsonIs400() {
        admin().body("{\"name\": \"x\", ").post("/v1/tenants").then().statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error", equalTo("invalid_json")).body("message", notNullValue());
        admin().body("[1,2]").post("/v1/tenants").then().statusCode(400).body("error", equalTo("invalid_json"));
        admin().body("{} {}").post("/v1/tenants").then().statusCode(400).body("error", equalTo("invalid_json"));
    }

    @Test
    void unknownFieldsAre400NamingTheField() {
        admin().body(Map.of("name", "x", "domain", uniqueDomain("unknown"), "colour", "red")).post("/v1/tenants").then()
                .statusCode(400).body("error", equalTo("unknown_field")).body("field", equalTo("colour"))
                .body("message", containsString("colour"));
        admin().body(Map.of("name", "x", "domain", uniqueDomain("unknown"), "pbx", Map.of("uri", "sip:a.test", "port", 5060)))
                .post("/v1/tenants").then().statusCode(400).body("field", equalTo("pbx.port"));
        admin().body(Map.of("colour", "red")).patch("/v1/tenants/" + AccountApi.createTenant(uniqueDomain("patch")))
                .then().statusCode(400).body("field", equalTo("colour"));
    }

    @Test
    void wrongTypesAre400NamingTheField() {
        admin().body("{\"name\": 12, \"domain\": \"" + uniqueDomain("types") + "\"}").post("/v1/tenants").then()
                .statusCode(400).body("error", equalTo("invalid_type")).body("field", equalTo("name"));
        admin().body("{\"name\": \"x\", \"domain\": [\"a\"]}").post("/v1/tenants").then().statusCode(400).body("field", equalTo("domain"));
        admin().body("{\"name\": \"x\", \"domain\": \"" + uniqueDomain("types") + "\", \"pbx\": \"sip:a.test\"}").post("/v1/tenants")
                .then().statusCode(400).body("field", equalTo("pbx"));
        String tenant = AccountApi.createTenant(uniqueDomain("types"));
        admin().body("{\"username\": \"u1\", \"password\": \"secret-pw\", \"enabled\": \"yes\"}").post("/v1/tenants/" + tenant + "/users")
                .then().statusCode(400).body("error", equalTo("invalid_type")).body("field", equalTo("enabled"));
        admin().body("{\"username\": \"u1\", \"password\": \"secret-pw\", \"enabled\": 1}").post("/v1/tenants/" + tenant + "/users")
                .then().statusCode(400).body("field", equalTo("enabled"));
        admin().body("{\"username\": true, \"password\": \"secret-pw\"}").post("/v1/tenants/" + tenant + "/users")
                .then().statusCode(400).body("field", equalTo("username"));
        admin().get("/v1/tenants/" + tenant + "/users").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void oversizedFieldsAndBodiesAreRefused() {
        admin().body(Map.of("name", "n".repeat(201), "domain", uniqueDomain("big"))).post("/v1/tenants").then()
                .statusCode(400).body("field", equalTo("name"));
        admin().body(Map.of("name", "x", "domain", "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + ".test"))
                .post("/v1/tenants").then().statusCode(400).body("field", equalTo("domain"));
        admin().body(Map.of("name", "x", "domain", uniqueDomain("big"), "pbx", Map.of("uri", "sip:" + "a".repeat(600) + ".test")))
                .post("/v1/tenants").then().statusCode(400).body("field", equalTo("pbx.uri"));
        RestAssured.given().header("Authorization", "Bearer " + AccountApi.ADMIN_KEY).contentType("application/json")
                .body("{\"name\":\"" + "x".repeat(200_000) + "\",\"domain\":\"big.test\"}")
                .post("/v1/tenants").then().statusCode(413).contentType(startsWith("application/json"))
                .body("error", equalTo("payload_too_large"));
    }

    @Test
    void missingBodyAndWrongMediaTypeAre4xxWithJson() {
        admin().post("/v1/tenants").then().statusCode(400).contentType(startsWith("application/json"))
                .body("error", notNullValue());
        RestAssured.given().header("Authorization", "Bearer " + AccountApi.ADMIN_KEY).contentType("text/plain").body("name=x")
                .post("/v1/tenants").then().statusCode(415).body("error", equalTo("unsupported_media_type"));
    }

    @Test
    void unknownRoutesAndMethodsAnswerJson() {
        admin().get("/v1/nothing-here").then().statusCode(404).contentType(startsWith("application/json"))
                .body("error", equalTo("not_found"));
        RestAssured.given().get("/no-such-page").then().statusCode(404).contentType(startsWith("application/json"))
                .body("error", equalTo("not_found"));
        admin().put("/v1/tenants").then().statusCode(405).contentType(startsWith("application/json"))
                .body("error", equalTo("method_not_allowed"));
    }
}
