package io.webcall.account.call;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.webcall.account.AccountApi;
import io.webcall.events.CallEvent;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static io.webcall.account.AccountApi.as;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The calls API over records stored by the same writer the Kafka consumer uses. */
@QuarkusTest
@TestProfile(CallRecordsProfile.class)
class CallApiTest {

    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");

    @Inject
    CallRecordWriter writer;

    String tenantA;
    String keyA;
    String keyB;
    UUID tenantAId;
    UUID tenantBId;

    @BeforeEach
    void tenants() {
        tenantA = AccountApi.createTenant(AccountApi.uniqueDomain("calls-a"));
        keyA = AccountApi.createApiKey(tenantA);
        String tenantB = AccountApi.createTenant(AccountApi.uniqueDomain("calls-b"));
        keyB = AccountApi.createApiKey(tenantB);
        tenantAId = UUID.fromString(tenantA);
        tenantBId = UUID.fromString(tenantB);
    }

    void store(List<CallEvent> events) throws Exception {
        writer.store(events, List.of(), List.of());
    }

    /** Five calls of tenant A a minute apart (newest last) and one of tenant B. */
    void fiveCalls() throws Exception {
        store(CallScenarios.answered(tenantAId, "a1", T0, "alice", "sip:+4930111@pbx", 60));
        store(CallScenarios.busy(tenantAId, "a2", T0.plusSeconds(60), "bob", "sip:+4930222@pbx"));
        store(CallScenarios.canceled(tenantAId, "a3", T0.plusSeconds(120), "alice", "sip:+4930333@pbx"));
        store(CallScenarios.noAnswer(tenantAId, "a4", T0.plusSeconds(180), "bob", "sip:+4930111@pbx"));
        store(CallScenarios.inProgress(tenantAId, "a5", T0.plusSeconds(240), "alice", "sip:+4930555@pbx"));
        store(CallScenarios.answered(tenantBId, "b1", T0.plusSeconds(300), "alice", "sip:+4930111@pbx", 5));
    }

    @Test
    void listsOnlyTheTenantsOwnCallsNewestFirst() throws Exception {
        fiveCalls();
        as(keyA).get("/v1/calls").then().statusCode(200)
                .body("calls.callId", contains("a5", "a4", "a3", "a2", "a1"))
                .body("calls.status", contains("in-progress", "no-answer", "canceled", "busy", "completed"))
                .body("next", nullValue());
        as(keyB).get("/v1/calls").then().statusCode(200).body("calls.callId", contains("b1"));
    }

    @Test
    void filtersByUserStatusDirectionPartiesAndStartTime() throws Exception {
        fiveCalls();
        as(keyA).queryParam("user", "bob").get("/v1/calls").then().statusCode(200).body("calls.callId", contains("a4", "a2"));
        as(keyA).queryParam("status", "busy").get("/v1/calls").then().statusCode(200).body("calls.callId", contains("a2"));
        as(keyA).queryParam("to", "sip:+4930111@pbx").get("/v1/calls").then().statusCode(200)
                .body("calls.callId", contains("a4", "a1"));
        as(keyA).queryParam("from", "sip:alice@demo.localhost").queryParam("status", "completed").get("/v1/calls")
                .then().statusCode(200).body("calls.callId", contains("a1"));
        as(keyA).queryParam("direction", "outbound").get("/v1/calls").then().statusCode(200).body("calls", hasSize(5));
        as(keyA).queryParam("direction", "inbound").get("/v1/calls").then().statusCode(200).body("calls", hasSize(0));
        as(keyA).queryParam("startedAfter", T0.plusSeconds(60).toString())
                .queryParam("startedBefore", "2026-11-20T10:03:00+02:00").get("/v1/calls").then().statusCode(200)
                .body("calls.callId", contains("a3", "a2"));
    }

    @Test
    void cursorPagingStaysCorrectWhileNewCallsArrive() throws Exception {
        for (int i = 0; i < 25; i++) {
            store(CallScenarios.answered(tenantAId, "p" + i, T0.plusSeconds(i), "alice", "sip:x@pbx", 1));
        }
        // two calls with the very same start time: the id breaks the tie
        store(CallScenarios.busy(tenantAId, "tie-1", T0.plusSeconds(10), "bob", "sip:x@pbx"));
        store(CallScenarios.busy(tenantAId, "tie-2", T0.plusSeconds(10), "bob", "sip:x@pbx"));
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = as(keyA).queryParam("pageSize", 4);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/calls").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("calls.callId"));
            cursor = page.getString("next");
            pages++;
            // a newer call starts while the client pages
            store(CallScenarios.answered(tenantAId, "new-" + pages, T0.plusSeconds(3600 + pages), "carol", "sip:y@pbx", 1));
        } while (cursor != null);
        assertEquals(27, seen.size(), seen.toString());
        assertEquals(27, new HashSet<>(seen).size(), "no call twice: " + seen);
        assertEquals("p24", seen.get(0));
        assertEquals("p0", seen.get(26));
        assertEquals(7, pages);
        assertFalse(seen.stream().anyMatch(id -> id.startsWith("new-")), "calls started after the first page are not mixed in");
    }

    @Test
    void oneCallShowsItsTimelineAndOtherTenantsGetNotFound() throws Exception {
        fiveCalls();
        String id = CallRecordIds.of(tenantAId, "a1").toString();
        as(keyA).get("/v1/calls/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("callId", equalTo("a1"))
                .body("status", equalTo("completed"))
                .body("ringDurationMs", equalTo(3000))
                .body("talkDurationMs", equalTo(60000))
                .body("sipCode", equalTo(200))
                .body("hangupBy", equalTo("callee"))
                .body("events.type", contains("initiated", "ringing", "answered", "ended"))
                .body("events.seq", contains(1, 2, 3, 4));
        as(keyB).get("/v1/calls/" + id).then().statusCode(404).body("error", equalTo("not_found"));
        as(keyB).queryParam("to", "sip:+4930111@pbx").get("/v1/calls").then().statusCode(200).body("calls.callId", contains("b1"));
    }

    @Test
    void everyEndpointNeedsATenantKey() {
        String anyId = UUID.randomUUID().toString();
        for (String path : List.of("/v1/calls", "/v1/calls/" + anyId, "/v1/calls/export")) {
            String accept = path.endsWith("export") ? "text/csv" : "application/json";
            given().accept(accept).get(path).then().statusCode(401).body("error", equalTo("unauthorized"));
            as("wk_not_a_key").accept(accept).get(path).then().statusCode(401);
            AccountApi.admin().accept(accept).get(path).then().statusCode(403).body("error", equalTo("forbidden"));
        }
    }

    @Test
    void badFiltersAndCursorsAre400NamingTheField() throws Exception {
        fiveCalls();
        expect400("status", "status", "bogus");
        expect400("direction", "direction", "sideways");
        expect400("startedAfter", "startedAfter", "yesterday");
        expect400("startedBefore", "startedBefore", "2026-13-01T00:00:00Z");
        expect400("pageSize", "pageSize", "0");
        expect400("pageSize", "pageSize", "1001");
        expect400("pageSize", "pageSize", "ten");
        expect400("cursor", "cursor", "not-a-cursor");
        expect400("cursor", "cursor", java.util.Base64.getUrlEncoder().encodeToString("v1|x|y|z".getBytes()));
        expect400("user", "user", "x".repeat(600));
        as(keyA).queryParam("startedAfter", "2026-11-21T00:00:00Z").queryParam("startedBefore", "2026-11-20T00:00:00Z")
                .get("/v1/calls").then().statusCode(400).body("field", equalTo("startedBefore"));
        // a cursor is bound to the filters it was issued for
        String next = as(keyA).queryParam("pageSize", 1).get("/v1/calls").then().statusCode(200).extract().path("next");
        as(keyA).queryParam("cursor", next).queryParam("status", "busy").get("/v1/calls").then().statusCode(400)
                .body("field", equalTo("cursor"));
        as(keyA).get("/v1/calls/not-a-uuid").then().statusCode(400).body("field", equalTo("id"));
        as(keyA).accept("text/csv").queryParam("status", "bogus").get("/v1/calls/export").then().statusCode(400).body("field", equalTo("status"));
    }

    private void expect400(String field, String param, String value) {
        as(keyA).queryParam(param, value).get("/v1/calls").then().statusCode(400)
                .body("error", equalTo("invalid_field"))
                .body("field", equalTo(field))
                .body("message", startsWith(field));
    }

    @Test
    void openApiDocumentsTheCallsAndWebhooksEndpoints() {
        String doc = given().get("/q/openapi").then().statusCode(200).extract().asString();
        for (String expected : List.of("/v1/calls:", "/v1/calls/{id}:", "/v1/calls/export:", "/v1/webhooks:",
                "/v1/webhooks/deliveries:", "/v1/webhooks/signing-secret:", "Webcall-Signature", "startedAfter", "cursor")) {
            assertTrue(doc.contains(expected), "OpenAPI mentions " + expected);
        }
    }

    @Test
    void csvExportStreamsTheFilteredRangeOfTheTenantOnly() throws Exception {
        fiveCalls();
        String csv = given().header("Authorization", "Bearer " + keyA).queryParam("user", "alice")
                .get("/v1/calls/export").then().statusCode(200)
                .header("Content-Type", startsWith("text/csv"))
                .extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals(4, lines.length, csv);
        assertTrue(lines[0].startsWith("id,callId,from,to,user,direction,status,startedAt"), lines[0]);
        assertTrue(lines[1].contains(",a5,") && lines[2].contains(",a3,") && lines[3].contains(",a1,"), csv);
        assertTrue(lines[3].contains(",completed,") && lines[3].contains(",60000,"), lines[3]);
        assertFalse(csv.contains(",b1,"), "no other tenant's call");
        Set<String> columns = Set.of(lines[0].split(","));
        assertEquals(lines[0].split(",").length, lines[3].split(",", -1).length, "every row has every column");
        assertTrue(columns.contains("talkDurationMs"));
    }
}
