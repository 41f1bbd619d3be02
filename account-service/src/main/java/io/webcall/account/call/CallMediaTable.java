package io.webcall.account.call;

import io.webcall.events.MediaStats;
import io.webcall.events.StreamStats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keeps the latest media report of each call in {@code call_media}: a report with a higher sequence number wins. */
final class CallMediaTable {

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

    private CallMediaTable() {
    }

    /** Upserts the latest report per call of the batch; returns how many calls had a report. */
    static int upsert(Connection c, List<MediaStats> reports) throws SQLException {
        if (reports.isEmpty()) {
            return 0;
        }
        Map<String, MediaStats> latest = new LinkedHashMap<>();
        for (MediaStats m : reports) {
            latest.merge(m.callId(), m, (a, b) -> b.seq() > a.seq() ? b : a);
        }
        int n = latest.size();
        TextColumns cols = new TextColumns(17, n);
        int i = 0;
        for (MediaStats m : latest.values()) {
            cols.set(0, i, m.callId());
            cols.set(1, i, m.tenantId() == null ? null : m.tenantId().toString());
            cols.set(2, i, Long.toString(m.seq()));
            cols.set(3, i, Boolean.toString(m.finalReport()));
            cols.set(4, i, CallRecordState.micros(m.time()).toString());
            stream(cols, 5, i, m.callerToCallee());
            stream(cols, 11, i, m.calleeToCaller());
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(UPSERT_MEDIA)) {
            cols.bind(c, ps);
            ps.executeUpdate();
        }
        return n;
    }

    private static void stream(TextColumns cols, int from, int row, StreamStats s) {
        if (s == null) {
            return;
        }
        cols.set(from, row, Long.toString(s.packets()));
        cols.set(from + 1, row, Long.toString(s.bytes()));
        cols.set(from + 2, row, Long.toString(s.lost()));
        cols.set(from + 3, row, Double.toString(s.jitterMs()));
        cols.set(from + 4, row, TextColumns.text(s.rttMs()));
        cols.set(from + 5, row, TextColumns.text(s.mos()));
    }
}
