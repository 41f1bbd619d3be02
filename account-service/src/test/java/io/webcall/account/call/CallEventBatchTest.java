package io.webcall.account.call;

import io.webcall.events.CallEvent;
import io.webcall.events.CallEventType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallEventBatchTest {

    static final UUID TENANT = UUID.randomUUID();
    static final Instant START = Instant.parse("2026-11-24T09:00:00Z");

    static Set<UUID> ids(List<CallEvent> events) {
        return events.stream().map(CallEvent::eventId).collect(Collectors.toSet());
    }

    @Test
    void redeliveredEventsAndSameSequenceUnderAnotherIdAreFoldedOnce() {
        List<CallEvent> call = CallScenarios.answered(TENANT, "c1", START, "alice", "sip:+4930111@pbx", 10);
        CallEvent answeredAgain = CallEvent.builder(CallEventType.ANSWERED, "c1", TENANT, 3)
                .time(START.plusSeconds(4)).sipCode(200).build();
        List<CallEvent> batch = new ArrayList<>(call);
        Collections.reverse(batch);
        batch.add(call.get(1));
        batch.add(answeredAgain);

        CallEventBatch grouped = new CallEventBatch(batch);

        assertEquals(call.stream().map(CallEvent::seq).toList(),
                grouped.distinctEvents().stream().map(CallEvent::seq).toList(), "one event per sequence number, in order");
        assertEquals(Set.of(CallRecordIds.of(TENANT, "c1")), grouped.recordIds());
        CallRecordState asNew = grouped.foldedAsNew().iterator().next();
        assertEquals(4, asNew.eventCount);
        assertEquals("completed", asNew.status().value());
    }

    @Test
    void newCallWhoseEventsAreAllFreshIsAppliedAsInsertedWithoutAnotherWrite() {
        List<CallEvent> call = CallScenarios.busy(TENANT, "c2", START, "bob", "sip:x@pbx");
        CallEventBatch batch = new CallEventBatch(call);
        UUID id = CallRecordIds.of(TENANT, "c2");

        CallEventBatch.Outcome outcome = batch.apply(Set.of(id), Map.of(), ids(call));

        assertEquals(call, outcome.applied().stream().map(AppliedEvent::event).toList());
        assertEquals("ringing", outcome.applied().get(0).record().status(), "each event with the record as it stood after it");
        assertEquals("busy", outcome.applied().get(1).record().status());
        assertTrue(outcome.changed().isEmpty(), "the inserted row is already complete");
        assertTrue(outcome.discarded().isEmpty());
    }

    @Test
    void existingRecordGetsOnlyTheEventsNotStoredBefore() {
        List<CallEvent> call = CallScenarios.answered(TENANT, "c3", START, "carol", "sip:y@pbx", 20);
        UUID id = CallRecordIds.of(TENANT, "c3");
        CallRecordState stored = new CallRecordState(id, TENANT, "c3");
        stored.apply(call.get(0));
        stored.apply(call.get(1));
        CallEventBatch batch = new CallEventBatch(call);

        CallEventBatch.Outcome outcome = batch.apply(Set.of(), Map.of(id, stored), ids(call.subList(2, 4)));

        assertEquals(call.subList(2, 4), outcome.applied().stream().map(AppliedEvent::event).toList());
        assertEquals(List.of(stored), outcome.changed());
        assertEquals(4, stored.eventCount, "the two stored events are not counted again");
        assertEquals("completed", outcome.applied().get(1).record().status());
    }

    @Test
    void newRecordWhoseEventsWereAllStoredAlreadyIsDiscarded() {
        List<CallEvent> call = CallScenarios.noAnswer(TENANT, "c4", START, "dave", "sip:z@pbx");
        UUID id = CallRecordIds.of(TENANT, "c4");

        CallEventBatch.Outcome outcome = new CallEventBatch(call).apply(Set.of(id), Map.of(), Set.of());

        assertTrue(outcome.applied().isEmpty());
        assertTrue(outcome.changed().isEmpty());
        assertEquals(List.of(id), outcome.discarded());
    }

    @Test
    void recordNeitherCreatedNorLoadedIsAnError() {
        List<CallEvent> call = CallScenarios.busy(TENANT, "c5", START, "erin", "sip:w@pbx");
        CallEventBatch batch = new CallEventBatch(call);
        assertThrows(IllegalStateException.class, () -> batch.apply(Set.of(), Map.of(), ids(call)));
    }
}
