package io.webcall.account.call;

import io.webcall.events.CallEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/** Writes call events into the timeline ({@code call_event}), telling which of them it had not seen before. */
final class CallTimelineTable {

    private static final String INSERT_EVENTS = """
            INSERT INTO call_event (event_id, record_id, tenant_id, seq, type, occurred_at, sip_code, cause, hangup_by, received_at)
            SELECT e.event_id::uuid, e.record_id::uuid, e.tenant_id::uuid, e.seq::bigint, e.type, e.occurred_at::timestamptz,
                   e.sip_code::smallint, e.cause, e.hangup_by, now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                 AS e(event_id, record_id, tenant_id, seq, type, occurred_at, sip_code, cause, hangup_by)
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """;

    private CallTimelineTable() {
    }

    /**
     * Inserts the timeline rows (events distinct by id and by call + sequence); returns the ids stored
     * now. An event already there (same event id, or same call and sequence number) is left alone.
     */
    static Set<UUID> insert(Connection c, List<CallEvent> events) throws SQLException {
        TextColumns cols = new TextColumns(9, events.size());
        int i = 0;
        for (CallEvent e : events) {
            cols.set(0, i, e.eventId().toString());
            cols.set(1, i, CallRecordIds.of(e.tenantId(), e.callId()).toString());
            cols.set(2, i, e.tenantId().toString());
            cols.set(3, i, Long.toString(e.seq()));
            cols.set(4, i, e.type().name().toLowerCase(Locale.ROOT));
            cols.set(5, i, CallRecordState.micros(e.time()).toString());
            cols.set(6, i, e.sipCode() == null ? null : e.sipCode().toString());
            cols.set(7, i, TextColumns.fit(e.cause(), 128));
            cols.set(8, i, e.hangupBy() == null ? null : e.hangupBy().name().toLowerCase(Locale.ROOT));
            i++;
        }
        Set<UUID> inserted = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENTS)) {
            cols.bind(c, ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return inserted;
    }
}
