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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    private static final String INSERT_EVENTS = """
            INSERT INTO call_event (event_id, record_id, tenant_id, seq, type, occurred_at, sip_code, cause, hangup_by, received_at)
            SELECT e.event_id::uuid, e.record_id::uuid, e.tenant_id::uuid, e.seq::bigint, e.type, e.occurred_at::timestamptz,
                   e.sip_code::smallint, e.cause, e.hangup_by, now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                 AS e(event_id, record_id, tenant_id, seq, type, occurred_at, sip_code, cause, hangup_by)
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """;

    /**
     * Creates missing records as empty placeholders (event_count 0), so that the SELECT ... FOR UPDATE
     * below locks every record of the batch, existing or new: two transactions that touch the same call
     * (e.g. consumers briefly overlapping during a rebalance) then run one after the other.
     */
    private static final String INSERT_PLACEHOLDERS = """
            INSERT INTO call_record (id, tenant_id, call_id, status, started_at, info_seq, last_seq, event_count, updated_at)
            SELECT p.id::uuid, p.tenant_id::uuid, p.call_id, 'ringing', p.started_at::timestamptz, 9223372036854775807, 0, 0, now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS p(id, tenant_id, call_id, started_at)
            ORDER BY 1
            ON CONFLICT (id) DO NOTHING
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
        Map<UUID, CallRecordState> states = events.isEmpty() ? Map.of() : lockRecords(c, events);
        List<CallEvent> fresh = insertEvents(c, events);
        List<AppliedEvent> applied = fresh.isEmpty() ? List.of() : foldIntoRecords(c, fresh, states);
        dropEmptyPlaceholders(c, states);
        int mediaCount = upsertMedia(c, media);
        insertRejected(c, rejected);
        if (!applied.isEmpty()) {
            for (CallEventListener listener : listeners) {
                listener.onApplied(c, applied);
            }
        }
        long records = applied.stream().map(a -> a.record().id()).distinct().count();
        return new Result(fresh.size(), events.size() - fresh.size(), (int) records, mediaCount, rejected.size());
    }

    /** Locks (creating placeholders where needed) and loads the records of every call in the batch. */
    private Map<UUID, CallRecordState> lockRecords(Connection c, List<CallEvent> events) throws SQLException {
        Map<UUID, CallEvent> first = new java.util.TreeMap<>();
        for (CallEvent e : events) {
            first.putIfAbsent(CallRecordIds.of(e.tenantId(), e.callId()), e);
        }
        int n = first.size();
        String[][] cols = new String[4][n];
        int i = 0;
        for (Map.Entry<UUID, CallEvent> entry : first.entrySet()) {
            cols[0][i] = entry.getKey().toString();
            cols[1][i] = entry.getValue().tenantId().toString();
            cols[2][i] = entry.getValue().callId();
            cols[3][i] = CallRecordState.micros(entry.getValue().time()).toString();
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT_PLACEHOLDERS)) {
            bindArrays(c, ps, cols);
            ps.executeUpdate();
        }
        Map<UUID, CallRecordState> states = new LinkedHashMap<>();
        loadRecords(c, cols[0], states);
        return states;
    }

    /** Inserts the timeline rows; returns the events that were not stored before, in sequence order. */
    private List<CallEvent> insertEvents(Connection c, List<CallEvent> events) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        Map<UUID, CallEvent> byId = new LinkedHashMap<>();
        for (CallEvent e : events) {
            byId.putIfAbsent(e.eventId(), e);
        }
        int n = byId.size();
        String[][] cols = new String[9][n];
        int i = 0;
        for (CallEvent e : byId.values()) {
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
        List<CallEvent> fresh = new ArrayList<>(inserted.size());
        for (CallEvent e : byId.values()) {
            if (inserted.contains(e.eventId())) {
                fresh.add(e);
            }
        }
        fresh.sort((a, b) -> a.seq() != b.seq() ? Long.compare(a.seq(), b.seq()) : a.callId().compareTo(b.callId()));
        return fresh;
    }

    private List<AppliedEvent> foldIntoRecords(Connection c, List<CallEvent> fresh, Map<UUID, CallRecordState> states)
            throws SQLException {
        Map<UUID, CallRecordState> touched = new LinkedHashMap<>();
        List<AppliedEvent> applied = new ArrayList<>(fresh.size());
        for (CallEvent e : fresh) {
            UUID id = CallRecordIds.of(e.tenantId(), e.callId());
            CallRecordState state = states.get(id);
            if (state == null) {
                throw new IllegalStateException("record " + id + " was not locked");
            }
            state.apply(e);
            touched.put(id, state);
            applied.add(new AppliedEvent(e, CallRecordView.of(state)));
        }
        upsertRecords(c, touched.values());
        return applied;
    }

    /** Removes placeholders that got no event (every event of their call was a duplicate). */
    private void dropEmptyPlaceholders(Connection c, Map<UUID, CallRecordState> states) throws SQLException {
        String[] empty = states.values().stream().filter(s -> s.eventCount == 0).map(s -> s.id.toString())
                .toArray(String[]::new);
        if (empty.length == 0) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM call_record WHERE id = ANY(?::uuid[]) AND event_count = 0")) {
            ps.setArray(1, c.createArrayOf("text", empty));
            ps.executeUpdate();
        }
    }

    private void loadRecords(Connection c, String[] ids, Map<UUID, CallRecordState> states) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_RECORDS)) {
            ps.setArray(1, c.createArrayOf("text", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    CallRecordState s = new CallRecordState(rs.getObject("id", UUID.class),
                            rs.getObject("tenant_id", UUID.class), rs.getString("call_id"));
                    if (rs.getInt("event_count") == 0) {
                        // a placeholder created by this transaction: nothing folded in yet
                        states.put(s.id, s);
                        continue;
                    }
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
        try (PreparedStatement ps = c.prepareStatement(UPSERT_RECORDS)) {
            bindArrays(c, ps, cols);
            ps.executeUpdate();
        }
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
