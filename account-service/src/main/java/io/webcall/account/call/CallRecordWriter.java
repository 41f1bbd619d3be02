package io.webcall.account.call;

import io.agroal.api.AgroalDataSource;
import io.webcall.events.CallEvent;
import io.webcall.events.MediaStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Stores a batch of consumed messages in one transaction: new call events into the timeline
 * (duplicates by event id or by per-call sequence are skipped), the affected records re-folded and
 * upserted, media reports (latest sequence wins), and rejected messages. Every statement handles the
 * whole batch at once (arrays + {@code unnest}), so a batch costs a handful of round trips.
 */
@ApplicationScoped
public class CallRecordWriter {

    private final AgroalDataSource dataSource;
    private final Instance<CallEventListener> listeners;

    public CallRecordWriter(AgroalDataSource dataSource, Instance<CallEventListener> listeners) {
        this.dataSource = dataSource;
        this.listeners = listeners;
    }

    /** What a stored batch changed. */
    public record Result(int newEvents, int duplicateEvents, int records, int mediaReports, int rejected) {
    }

    /** Stores everything in one transaction; on any failure nothing is stored and the exception is thrown. */
    public Result store(List<CallEvent> events, List<MediaStats> media, List<RejectedMessage> rejected) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Result result = store(c, events, media, rejected);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private Result store(Connection c, List<CallEvent> events, List<MediaStats> media,
                         List<RejectedMessage> rejected) throws SQLException {
        List<AppliedEvent> applied = events.isEmpty() ? List.of() : storeEvents(c, events);
        int mediaCount = CallMediaTable.upsert(c, media);
        RejectedMessageTable.insert(c, rejected);
        if (!applied.isEmpty()) {
            for (CallEventListener listener : listeners) {
                listener.onApplied(c, applied);
            }
        }
        long records = applied.stream().map(a -> a.record().id()).distinct().count();
        return new Result(applied.size(), events.size() - applied.size(), (int) records, mediaCount, rejected.size());
    }

    /**
     * Stores the call events of a batch and folds them into their records.
     * <ol>
     *   <li>Calls not in the table yet are inserted complete (folded from this batch's events) with
     *       {@code ON CONFLICT DO NOTHING}; that insert also locks them. A call being inserted by a
     *       concurrent transaction makes this one wait and then count the call as existing.</li>
     *   <li>Existing records are locked ({@code FOR UPDATE}, id order) and loaded, so transactions
     *       touching the same call run one after the other and no update is lost.</li>
     *   <li>The events go into the timeline; the ones already there (same event id, or same call and
     *       sequence number) are duplicates and are not folded in again.</li>
     * </ol>
     * Returns the events stored for the first time, each with its record as it stood after it.
     */
    private List<AppliedEvent> storeEvents(Connection c, List<CallEvent> events) throws SQLException {
        CallEventBatch batch = new CallEventBatch(events);
        Set<UUID> created = CallRecordTable.insertNew(c, batch.foldedAsNew());
        String[] existingIds = batch.recordIds().stream().filter(id -> !created.contains(id)).map(UUID::toString)
                .toArray(String[]::new);
        Map<UUID, CallRecordState> loaded = existingIds.length > 0 ? CallRecordTable.lockAndLoad(c, existingIds) : Map.of();
        Set<UUID> fresh = CallTimelineTable.insert(c, batch.distinctEvents());

        CallEventBatch.Outcome outcome = batch.apply(created, loaded, fresh);
        for (UUID id : outcome.discarded()) {
            CallRecordTable.delete(c, id);
        }
        if (!outcome.changed().isEmpty()) {
            CallRecordTable.upsert(c, outcome.changed());
        }
        return outcome.applied();
    }
}
