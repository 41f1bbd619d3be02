package io.webcall.account.call;

import io.webcall.events.CallEvent;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class CallRecordStateTest {

    static final UUID TENANT = UUID.randomUUID();
    static final Instant START = Instant.parse("2026-11-24T09:00:00.123456789Z");

    static CallRecordView fold(List<CallEvent> events) {
        CallRecordState state = new CallRecordState(TENANT, "call-1");
        events.forEach(state::apply);
        CallRecordView v = CallRecordView.of(state);
        return v;
    }

    @Test
    void answeredCallHasStatusDurationsAndEndDetails() {
        CallRecordView r = fold(CallScenarios.answered(TENANT, "call-1", START, "alice", "sip:+4930123@pbx", 42));
        assertEquals("completed", r.status());
        assertEquals(3_000L, r.ringDurationMs());
        assertEquals(42_000L, r.talkDurationMs());
        assertEquals(200, r.sipCode());
        assertEquals("normal", r.cause());
        assertEquals("callee", r.hangupBy());
        assertEquals("outbound", r.direction());
        assertEquals("alice", r.user());
        assertEquals(Instant.parse("2026-11-24T09:00:00.123456Z"), r.startedAt(), "stored with microsecond precision");
    }

    @Test
    void everyOrderOfTheSameEventsGivesTheSameRecord() {
        List<CallEvent> events = CallScenarios.answered(TENANT, "call-1", START, "alice", "sip:bob@demo.localhost", 5);
        CallRecordView expected = fold(events);
        Random random = new Random(7);
        for (int i = 0; i < 50; i++) {
            List<CallEvent> shuffled = new ArrayList<>(events);
            Collections.shuffle(shuffled, random);
            assertEquals(expected, fold(shuffled), "order " + shuffled.stream().map(CallEvent::seq).toList());
        }
    }

    @Test
    void repeatedEventsChangeNothing() {
        List<CallEvent> events = CallScenarios.canceled(TENANT, "call-1", START, "bob", "sip:carol@demo.localhost");
        List<CallEvent> doubled = new ArrayList<>(events);
        doubled.addAll(events);
        doubled.add(events.get(1));
        assertEquals(fold(events), fold(doubled));
    }

    @Test
    void unansweredOutcomesGetTheirStatusAndZeroTalkTime() {
        CallRecordView busy = fold(CallScenarios.busy(TENANT, "call-1", START, "alice", "sip:x@pbx"));
        assertEquals("busy", busy.status());
        assertEquals(0L, busy.talkDurationMs());
        assertEquals(900L, busy.ringDurationMs());
        assertEquals("canceled", fold(CallScenarios.canceled(TENANT, "call-1", START, "alice", "sip:x@pbx")).status());
        CallRecordView noAnswer = fold(CallScenarios.noAnswer(TENANT, "call-1", START, "alice", "sip:x@pbx"));
        assertEquals("no-answer", noAnswer.status());
        assertEquals("system", noAnswer.hangupBy());
    }

    @Test
    void callsNotEndedAreRingingOrInProgressWithoutTalkTime() {
        List<CallEvent> events = CallScenarios.inProgress(TENANT, "call-1", START, "alice", "sip:x@pbx");
        assertEquals("ringing", fold(events.subList(0, 2)).status());
        CallRecordView inProgress = fold(events);
        assertEquals("in-progress", inProgress.status());
        assertNull(inProgress.talkDurationMs());
        assertNull(inProgress.endedAt());
    }

    @Test
    void anEndWithoutAnswerAndWithAnUnknownCodeIsFailed() {
        List<CallEvent> events = new ArrayList<>(CallScenarios.busy(TENANT, "call-1", START, "alice", "sip:x@pbx"));
        CallEvent end = events.get(1);
        events.set(1, new CallEvent(end.eventId(), 1, end.type(), end.callId(), end.tenantId(), end.seq(), end.time(),
                end.from(), end.to(), end.user(), end.direction(), 503, "Service Unavailable", end.hangupBy()));
        assertEquals("failed", fold(events).status());
    }

    @Test
    void recordIdDependsOnTenantAndCallId() {
        assertEquals(CallRecordIds.of(TENANT, "a"), CallRecordIds.of(TENANT, "a"));
        org.junit.jupiter.api.Assertions.assertNotEquals(CallRecordIds.of(TENANT, "a"), CallRecordIds.of(UUID.randomUUID(), "a"));
    }
}
