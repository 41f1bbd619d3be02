package io.webcall.account.call;

import io.webcall.events.CallDirection;
import io.webcall.events.HangupSide;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads, locks and writes the rows of {@code call_record} on the write path, each statement for a whole batch. */
final class CallRecordTable {

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

    private CallRecordTable() {
    }

    /**
     * Inserts the records of calls not in the table yet and returns their ids; the insert also locks
     * them. A call being inserted by a concurrent transaction makes this one wait and then leaves it out.
     */
    static Set<UUID> insertNew(Connection c, Collection<CallRecordState> states) throws SQLException {
        Set<UUID> created = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT_NEW_RECORDS)) {
            columns(states).bind(c, ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    created.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return created;
    }

    /** Locks the existing records ({@code FOR UPDATE}, in id order) and loads them, by id. */
    static Map<UUID, CallRecordState> lockAndLoad(Connection c, String[] ids) throws SQLException {
        Map<UUID, CallRecordState> states = new HashMap<>();
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
        return states;
    }

    /** Writes the records as they now stand. */
    static void upsert(Connection c, Collection<CallRecordState> states) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(UPSERT_RECORDS)) {
            columns(states).bind(c, ps);
            ps.executeUpdate();
        }
    }

    static void delete(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM call_record WHERE id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }
    }

    private static TextColumns columns(Collection<CallRecordState> states) {
        TextColumns cols = new TextColumns(20, states.size());
        int i = 0;
        for (CallRecordState s : states) {
            cols.set(0, i, s.id.toString());
            cols.set(1, i, s.tenantId.toString());
            cols.set(2, i, s.callId);
            cols.set(3, i, TextColumns.fit(s.from, 512));
            cols.set(4, i, TextColumns.fit(s.to, 512));
            cols.set(5, i, TextColumns.fit(s.user, 64));
            cols.set(6, i, s.direction == null ? null : s.direction.name().toLowerCase(Locale.ROOT));
            cols.set(7, i, s.status().value());
            cols.set(8, i, s.startedAt.toString());
            cols.set(9, i, TextColumns.text(s.ringingAt));
            cols.set(10, i, TextColumns.text(s.answeredAt));
            cols.set(11, i, TextColumns.text(s.endedAt));
            cols.set(12, i, TextColumns.text(s.ringMillis()));
            cols.set(13, i, TextColumns.text(s.talkMillis()));
            cols.set(14, i, TextColumns.text(s.sipCode));
            cols.set(15, i, TextColumns.fit(s.cause, 128));
            cols.set(16, i, s.hangupBy == null ? null : s.hangupBy.name().toLowerCase(Locale.ROOT));
            cols.set(17, i, Long.toString(s.infoSeq));
            cols.set(18, i, Long.toString(s.lastSeq));
            cols.set(19, i, Integer.toString(s.eventCount));
            i++;
        }
        return cols;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
