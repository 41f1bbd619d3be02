package io.webcall.account.call;

import io.webcall.events.CallEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Applies the call events of one batch to their call records. The events are grouped by record (in
 * record id order), made distinct (by event id, then by per-call sequence number: a second event with
 * the same number is a duplicate under another id) and put in sequence order; each call is folded as if
 * it were new. Once the database has told which calls were new, how the existing records stand and which
 * events it had not stored before, {@link #apply} folds exactly those events into the right records.
 */
final class CallEventBatch {

    /** The distinct events of each record, in sequence order; records in id order. */
    private final Map<UUID, List<CallEvent>> byRecord = new TreeMap<>();
    private final List<CallEvent> distinct;
    private final Map<UUID, CallRecordState> folded = new LinkedHashMap<>();
    private final Map<UUID, List<AppliedEvent>> steps = new HashMap<>();

    CallEventBatch(List<CallEvent> events) {
        Map<UUID, CallEvent> byId = new LinkedHashMap<>();
        for (CallEvent e : events) {
            byId.putIfAbsent(e.eventId(), e);
        }
        for (CallEvent e : byId.values()) {
            byRecord.computeIfAbsent(CallRecordIds.of(e.tenantId(), e.callId()), k -> new ArrayList<>()).add(e);
        }
        distinct = new ArrayList<>(byId.size());
        for (Map.Entry<UUID, List<CallEvent>> entry : byRecord.entrySet()) {
            List<CallEvent> list = entry.getValue();
            list.sort(Comparator.comparingLong(CallEvent::seq));
            // a second event with the same sequence number is a duplicate under another id
            List<CallEvent> unique = new ArrayList<>(list.size());
            for (CallEvent e : list) {
                if (unique.isEmpty() || unique.get(unique.size() - 1).seq() != e.seq()) {
                    unique.add(e);
                }
            }
            entry.setValue(unique);
            distinct.addAll(unique);
            CallEvent first = unique.get(0);
            CallRecordState state = new CallRecordState(entry.getKey(), first.tenantId(), first.callId());
            List<AppliedEvent> callSteps = new ArrayList<>(unique.size());
            for (CallEvent e : unique) {
                state.apply(e);
                callSteps.add(new AppliedEvent(e, CallRecordView.of(state)));
            }
            folded.put(entry.getKey(), state);
            steps.put(entry.getKey(), callSteps);
        }
    }

    /** Every call's record folded from this batch's events alone (what is inserted for a new call), in id order. */
    Collection<CallRecordState> foldedAsNew() {
        return folded.values();
    }

    /** The ids of the records this batch touches, in id order. */
    Set<UUID> recordIds() {
        return folded.keySet();
    }

    /** The events distinct by id and by call + sequence number, grouped by record. */
    List<CallEvent> distinctEvents() {
        return distinct;
    }

    /**
     * What applying the batch changed: the events applied for the first time, each with its record as
     * it stood after it; the records to write back; and the records inserted by this batch that are to
     * be removed again because every one of their events was already stored.
     */
    record Outcome(List<AppliedEvent> applied, List<CallRecordState> changed, List<UUID> discarded) {
    }

    /**
     * Folds the events stored for the first time ({@code fresh}) into their records: a record
     * {@code created} by this batch whose events are all fresh is already complete; any other record
     * starts from its {@code loaded} state (or empty, when created) and gets only its fresh events.
     */
    Outcome apply(Set<UUID> created, Map<UUID, CallRecordState> loaded, Set<UUID> fresh) {
        List<AppliedEvent> applied = new ArrayList<>(fresh.size());
        List<CallRecordState> changed = new ArrayList<>();
        List<UUID> discarded = new ArrayList<>();
        for (Map.Entry<UUID, List<CallEvent>> entry : byRecord.entrySet()) {
            UUID id = entry.getKey();
            List<CallEvent> list = entry.getValue();
            boolean isNew = created.contains(id);
            if (isNew && list.stream().allMatch(e -> fresh.contains(e.eventId()))) {
                applied.addAll(steps.get(id));
                continue;
            }
            CallRecordState state = isNew ? new CallRecordState(id, list.get(0).tenantId(), list.get(0).callId()) : loaded.get(id);
            if (state == null) {
                throw new IllegalStateException("record " + id + " neither created nor found");
            }
            boolean touched = false;
            for (CallEvent e : list) {
                if (fresh.contains(e.eventId())) {
                    state.apply(e);
                    applied.add(new AppliedEvent(e, CallRecordView.of(state)));
                    touched = true;
                }
            }
            if (touched) {
                changed.add(state);
            } else if (isNew) {
                // every event of this new record was already stored under another record: keep nothing
                discarded.add(id);
            }
        }
        return new Outcome(applied, changed, discarded);
    }
}
