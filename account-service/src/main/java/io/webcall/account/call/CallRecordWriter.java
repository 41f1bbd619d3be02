package io.webcall.account.call;

import io.agroal.api.AgroalDataSource;
import io.webcall.events.CallDirection;
import io.webcall.events.CallEvent;
import io.webcall.events.HangupSide;
import io.webcall.events.MediaStats;
import io.webcall.events.StreamStats;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Stores a batch of consumed messages in one transaction: new call events into the timeline
 * (duplicates by event id or by per-call sequence are skipped), the affected records re-folded and
 * upserted, media reports (latest sequence wins), and rejected messages. Every statement handles the
 * whole batch at once (arrays + {@code unnest}), so a batch costs a handful of round trips.
 */
@ApplicationScoped
public class CallRecordWriter {

    private static final String INSERT_EVENTS = """
            INSERT INTO call_event (event_id, record_id, tenant_id, seq, type, occurred_at, sip_code, cause, hangup_by, received_at)
            SELECT e.event_id::uuid, e.record_id::uuid, e.tenant_id::uuid, e.seq::bigint, e.type, e.occurred_at::timestamptz,
                   e.sip_code::smallint, e.cause, e.hangup_by, now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                 AS e(event_id, record_id, tenant_id, seq, type, occurred_at, sip_code, cause, hangup_by)
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """;

    private static final String SELECT_RECORDS = """
            SELECT id, tenant_id, call_id, from_uri, to_uri, username, direction, started_at, ringing_at, answered_at,
                   ended_at, sip_code, cause, hangup_by, info_seq, last_seq, event_count
            FROM call_record WHERE id = ANY(?::uuid[]) ORDER BY id FOR UPDATE
            """;

    private static final String UPSERT_RECORDS = """
            INSERT INTO call_record (id, tenant_id, call_id, from_uri, to_uri, username, direction, status, started_at,
                   ringing_at, answered_at, ended_at, ring_ms, talk_ms, sip_code, cause, hangup_by, info_seq, last_seq,
                   event_count, updated_at)
            SELECT r.id::uuid, r.tenant_id::uuid, r.call_id, r.from_uri, r.to_uri, r.username, r.direction, r.status,
                   r.started_at::timestamptz, r.ringing_at::timestamptz, r.answered_at::timestamptz, r.ended_at::timestamptz,
                   r.ring_ms::bigint, r.talk_ms::bigint, r.sip_code::smallint, r.cause, r.hangup_by, r.info_seq::bigint,
                   r.last_seq::bigint, r.event_count::integer, now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::text[])
                 AS r(id, tenant_id, call_id, from_uri, to_uri, username, direction, status, started_at, ringing_at,
                      answered_at, ended_at, ring_ms, talk_ms, sip_code, cause, hangup_by, info_seq, last_seq, event_count)
            ON CONFLICT (id) DO UPDATE SET
                from_uri = EXCLUDED.from_uri, to_uri = EXCLUDED.to_uri, username = EXCLUDED.username,
                direction = EXCLUDED.direction, status = EXCLUDED.status, started_at = EXCLUDED.started_at,
                ringing_at = EXCLUDED.ringing_at, answered_at = EXCLUDED.answered_at, ended_at = EXCLUDED.ended_at,
                ring_ms = EXCLUDED.ring_ms, talk_ms = EXCLUDED.talk_ms, sip_code = EXCLUDED.sip_code,
                cause = EXCLUDED.cause, hangup_by = EXCLUDED.hangup_by, info_seq = EXCLUDED.info_seq,
                last_seq = EXCLUDED.last_seq, event_count = EXCLUDED.event_count, updated_at = EXCLUDED.updated_at
            """;

    /** The same rows for calls new to the table: inserted complete, in id order; existing ones are left alone. */
    private static final String INSERT_NEW_RECORDS = UPSERT_RECORDS.substring(0, UPSERT_RECORDS.indexOf("ON CONFLICT"))
            + "ORDER BY 1 ON CONFLICT (id) DO NOTHING RETURNING id";

    private static final String UPSERT_MEDIA = """
            INSERT INTO call_media (call_id, tenant_id, seq, final, reported_at,
                   c2c_packets, c2c_bytes, c2c_lost, c2c_jitter_ms, c2c_rtt_ms, c2c_mos,
                   c2r_packets, c2r_bytes, c2r_lost, c2r_jitter_ms, c2r_rtt_ms, c2r_mos)
            SELECT m.call_id, m.tenant_id::uuid, m.seq::bigint, m.final::boolean, m.reported_at::timestamptz,
                   m.a1::bigint, m.a2::bigint, m.a3::bigint, m.a4::float8, m.a5::float8, m.a6::float8,
                   m.b1::bigint, m.b2::bigint, m.b3::bigint, m.b4::float8, m.b5::float8, m.b6::float8
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                        ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                 AS m(call_id, tenant_id, seq, final, reported_at, a1, a2, a3, a4, a5, a6, b1, b2, b3, b4, b5, b6)
            ON CONFLICT (call_id) DO UPDATE SET
                tenant_id = COALESCE(EXCLUDED.tenant_id, call_media.tenant_id), seq = EXCLUDED.seq,
                final = EXCLUDED.final, reported_at = EXCLUDED.reported_at,
                c2c_packets = EXCLUDED.c2c_packets, c2c_bytes = EXCLUDED.c2c_bytes, c2c_lost = EXCLUDED.c2c_lost,
                c2c_jitter_ms = EXCLUDED.c2c_jitter_ms, c2c_rtt_ms = EXCLUDED.c2c_rtt_ms, c2c_mos = EXCLUDED.c2c_mos,
                c2r_packets = EXCLUDED.c2r_packets, c2r_bytes = EXCLUDED.c2r_bytes, c2r_lost = EXCLUDED.c2r_lost,
                c2r_jitter_ms = EXCLUDED.c2r_jitter_ms, c2r_rtt_ms = EXCLUDED.c2r_rtt_ms, c2r_mos = EXCLUDED.c2r_mos
            WHERE call_media.seq < EXCLUDED.seq
            """;

    private static final String INSERT_REJECTED = """
            INSERT INTO call_event_rejected (topic, kafka_partition, kafka_offset, message_key, payload, error, received_at)
            VALUES (?, ?, ?, ?, ?, ?, now())
            ON CONFLICT DO NOTHING
            """;

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
        int mediaCount = upsertMedia(c, media);
        insertRejected(c, rejected);
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
        Map<UUID, CallEvent> byId = new LinkedHashMap<>();
        for (CallEvent e : events) {
            byId.putIfAbsent(e.eventId(), e);
        }
        Map<UUID, List<CallEvent>> byRecord = new TreeMap<>();
        for (CallEvent e : byId.values()) {
            byRecord.computeIfAbsent(CallRecordIds.of(e.tenantId(), e.callId()), k -> new ArrayList<>()).add(e);
        }
        List<CallEvent> distinct = new ArrayList<>(byId.size());
        Map<UUID, CallRecordState> folded = new LinkedHashMap<>();
        Map<UUID, List<AppliedEvent>> steps = new HashMap<>();
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

        Set<UUID> created = insertNewRecords(c, folded.values());
        String[] existingIds = folded.keySet().stream().filter(id -> !created.contains(id)).map(UUID::toString)
                .toArray(String[]::new);
        Map<UUID, CallRecordState> loaded = new HashMap<>();
        if (existingIds.length > 0) {
            loadRecords(c, existingIds, loaded);
        }
        Set<UUID> fresh = insertEvents(c, distinct);

        List<AppliedEvent> applied = new ArrayList<>(fresh.size());
        List<CallRecordState> changed = new ArrayList<>();
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
                deleteRecord(c, id);
            }
        }
        if (!changed.isEmpty()) {
            upsertRecords(c, changed);
        }
        return applied;
    }

    private Set<UUID> insertNewRecords(Connection c, Collection<CallRecordState> states) throws SQLException {
        Set<UUID> created = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT_NEW_RECORDS)) {
            bindArrays(c, ps, recordColumns(states));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    created.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return created;
    }

    private void deleteRecord(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM call_record WHERE id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    /** Inserts the timeline rows (events distinct by id and by call + sequence); returns the ids stored now. */
    private Set<UUID> insertEvents(Connection c, List<CallEvent> events) throws SQLException {
        int n = events.size();
        String[][] cols = new String[9][n];
        int i = 0;
        for (CallEvent e : events) {
            cols[0][i] = e.eventId().toString();
            cols[1][i] = CallRecordIds.of(e.tenantId(), e.callId()).toString();
            cols[2][i] = e.tenantId().toString();
            cols[3][i] = Long.toString(e.seq());
            cols[4][i] = e.type().name().toLowerCase(Locale.ROOT);
            cols[5][i] = CallRecordState.micros(e.time()).toString();
            cols[6][i] = e.sipCode() == null ? null : e.sipCode().toString();
            cols[7][i] = truncate(e.cause(), 128);
            cols[8][i] = e.hangupBy() == null ? null : e.hangupBy().name().toLowerCase(Locale.ROOT);
            i++;
        }
        Set<UUID> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
            bindArrays(c, ps, cols);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return inserted;
    }

    private void loadRecords(Connection c, String[] ids, Map<UUID, CallRecordState> states) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_RECORDS)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CallRecordState s = new CallRecordState(rs.getObject("id", UUID.class),
                            rs.getObject("tenant_id", UUID.class), rs.getString("call_id"));
                    s.from = rs.getString("from_uri");
                    s.to = rs.getString("to_uri");
                    s.user = rs.getString("username");
                    String direction = rs.getString("direction");
                    s.direction = direction == null ? null : CallDirection.valueOf(direction.toUpperCase(Locale.ROOT));
                    s.startedAt = instant(rs.getTimestamp("started_at"));
                    s.ringingAt = instant(rs.getTimestamp("ringing_at"));
                    s.answeredAt = instant(rs.getTimestamp("answered_at"));
                    s.endedAt = instant(rs.getTimestamp("ended_at"));
                    int code = rs.getInt("sip_code");
                    s.sipCode = rs.wasNull() ? null : code;
                    s.cause = rs.getString("cause");
                    String hangup = rs.getString("hangup_by");
                    s.hangupBy = hangup == null ? null : HangupSide.valueOf(hangup.toUpperCase(Locale.ROOT));
                    s.infoSeq = rs.getLong("info_seq");
                    s.lastSeq = rs.getLong("last_seq");
                    s.eventCount = rs.getInt("event_count");
                    states.put(s.id, s);
                }
            }
        }
    }

    private void upsertRecords(Connection c, Collection<CallRecordState> states) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_RECORDS)) {
            bindArrays(c, ps, recordColumns(states));
            ps.executeUpdate();
        }
    }

    private static String[][] recordColumns(Collection<CallRecordState> states) {
        int n = states.size();
        String[][] cols = new String[20][n];
        int i = 0;
        for (CallRecordState s : states) {
            cols[0][i] = s.id.toString();
            cols[1][i] = s.tenantId.toString();
            cols[2][i] = s.callId;
            cols[3][i] = truncate(s.from, 512);
            cols[4][i] = truncate(s.to, 512);
            cols[5][i] = truncate(s.user, 64);
            cols[6][i] = s.direction == null ? null : s.direction.name().toLowerCase(Locale.ROOT);
            cols[7][i] = s.status().value();
            cols[8][i] = s.startedAt.toString();
            cols[9][i] = str(s.ringingAt);
            cols[10][i] = str(s.answeredAt);
            cols[11][i] = str(s.endedAt);
            cols[12][i] = str(s.ringMillis());
            cols[13][i] = str(s.talkMillis());
            cols[14][i] = str(s.sipCode);
            cols[15][i] = truncate(s.cause, 128);
            cols[16][i] = s.hangupBy == null ? null : s.hangupBy.name().toLowerCase(Locale.ROOT);
            cols[17][i] = Long.toString(s.infoSeq);
            cols[18][i] = Long.toString(s.lastSeq);
            cols[19][i] = Integer.toString(s.eventCount);
            i++;
        }
        return cols;
    }

    private int upsertMedia(Connection c, List<MediaStats> reports) throws SQLException {
        if (reports.isEmpty()) {
            return 0;
        }
        Map<String, MediaStats> latest = new LinkedHashMap<>();
        for (MediaStats m : reports) {
            latest.merge(m.callId(), m, (a, b) -> b.seq() > a.seq() ? b : a);
        }
        int n = latest.size();
        String[][] cols = new String[17][n];
        int i = 0;
        for (MediaStats m : latest.values()) {
            cols[0][i] = m.callId();
            cols[1][i] = m.tenantId() == null ? null : m.tenantId().toString();
            cols[2][i] = Long.toString(m.seq());
            cols[3][i] = Boolean.toString(m.finalReport());
            cols[4][i] = CallRecordState.micros(m.time()).toString();
            stream(cols, 5, i, m.callerToCallee());
            stream(cols, 11, i, m.calleeToCaller());
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_MEDIA)) {
            bindArrays(c, ps, cols);
            ps.executeUpdate();
        }
        return n;
    }

    private static void stream(String[][] cols, int from, int row, StreamStats s) {
        if (s == null) {
            return;
        }
        cols[from][row] = Long.toString(s.packets());
        cols[from + 1][row] = Long.toString(s.bytes());
        cols[from + 2][row] = Long.toString(s.lost());
        cols[from + 3][row] = Double.toString(s.jitterMs());
        cols[from + 4][row] = str(s.rttMs());
        cols[from + 5][row] = str(s.mos());
    }

    private void insertRejected(Connection c, List<RejectedMessage> rejected) throws SQLException {
        if (rejected.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_REJECTED)) {
            for (RejectedMessage r : rejected) {
                ps.setString(1, r.topic());
                ps.setInt(2, r.partition());
                ps.setLong(3, r.offset());
                ps.setString(4, r.key());
                ps.setBytes(5, r.payload());
                ps.setString(6, truncate(r.error(), 2000));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void bindArrays(Connection c, PreparedStatement ps, String[][] cols) throws SQLException {
        for (int k = 0; k < cols.length; k++) {
            Array array = c.createArrayOf("text", cols[k]);
            ps.setArray(k + 1, array);
        }
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static String truncate(String s, int max) {
        if (s == null) {
            return null;
        }
        // strip NUL, which PostgreSQL text cannot hold
        String clean = s.indexOf('\0') >= 0 ? s.replace("\0", "") : s;
        return clean.length() <= max ? clean : clean.substring(0, max);
    }
}
