package io.webcall.account.call;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.PGStatement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads call records; every query is bound to one tenant. */
@ApplicationScoped
public class CallRecordRepository {

    private static final String COLUMNS = """
            r.id, r.call_id, r.from_uri, r.to_uri, r.username, r.direction, r.status, r.started_at, r.ringing_at,
            r.answered_at, r.ended_at, r.ring_ms, r.talk_ms, r.sip_code, r.cause, r.hangup_by,
            m.seq AS m_seq, m.final AS m_final, m.reported_at AS m_reported_at,
            m.c2c_packets, m.c2c_bytes, m.c2c_lost, m.c2c_jitter_ms, m.c2c_rtt_ms, m.c2c_mos,
            m.c2r_packets, m.c2r_bytes, m.c2r_lost, m.c2r_jitter_ms, m.c2r_rtt_ms, m.c2r_mos
            FROM call_record r
            LEFT JOIN call_media m ON m.call_id = r.call_id AND (m.tenant_id IS NULL OR m.tenant_id = r.tenant_id)
            """;

    private final AgroalDataSource dataSource;

    public CallRecordRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A row consumer for streaming; may throw to abort. */
    public interface RowSink {
        void accept(CallRecordView row) throws Exception;
    }

    /** Newest first, at most {@code limit} rows after {@code cursor} (exclusive). */
    public List<CallRecordView> list(UUID tenantId, CallFilter filter, CallCursor cursor, int limit) throws SQLException {
        return list(tenantId, null, filter, cursor, limit);
    }

    /**
     * Newest first, at most {@code limit} rows after {@code cursor} (exclusive); with a {@code party},
     * only calls that user placed or received.
     */
    public List<CallRecordView> list(UUID tenantId, CallParty party, CallFilter filter, CallCursor cursor, int limit)
            throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + where(tenantId, filter, cursor, params) + party(party, params)
                + " ORDER BY r.started_at DESC, r.id DESC LIMIT " + limit;
        List<CallRecordView> rows = new ArrayList<>(Math.min(limit, 1000));
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            planForTheseValues(ps);
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        return rows;
    }

    /** Streams every matching row newest first, fetching {@code fetchSize} rows per round trip. */
    public void stream(UUID tenantId, CallFilter filter, int fetchSize, RowSink sink) throws Exception {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + where(tenantId, filter, null, params) + " ORDER BY r.started_at DESC, r.id DESC";
        try (Connection c = dataSource.getConnection()) {
            // a server-side cursor needs a transaction; read-only, nothing to commit
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(fetchSize);
                planForTheseValues(ps);
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(row(rs));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }

    /** The record with its timeline, if it belongs to the tenant. */
    public Optional<CallRecordView> find(UUID tenantId, UUID id) throws SQLException {
        return find(tenantId, null, id);
    }

    /** The record with its timeline, if it belongs to the tenant (and, with a {@code party}, to that user's calls). */
    public Optional<CallRecordView> find(UUID tenantId, CallParty party, UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            CallRecordView record;
            List<Object> params = new ArrayList<>(List.of(tenantId, id));
            String sql = "SELECT " + COLUMNS + " WHERE r.tenant_id = ? AND r.id = ?" + party(party, params);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    record = row(rs);
                }
            }
            List<CallRecordView.Event> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT event_id, seq, type, occurred_at, sip_code, cause, hangup_by FROM call_event
                    WHERE record_id = ? AND tenant_id = ? ORDER BY seq""")) {
                ps.setObject(1, id);
                ps.setObject(2, tenantId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        events.add(new CallRecordView.Event(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3),
                                instant(rs.getTimestamp(4)), integer(rs, 5), rs.getString(6), rs.getString(7)));
                    }
                }
            }
            return Optional.of(record.withEvents(events));
        }
    }

    private static String where(UUID tenantId, CallFilter f, CallCursor cursor, List<Object> params) {
        StringBuilder sql = new StringBuilder(" WHERE r.tenant_id = ?");
        params.add(tenantId);
        if (f.from() != null) {
            sql.append(" AND r.from_uri = ?");
            params.add(f.from());
        }
        if (f.to() != null) {
            sql.append(" AND r.to_uri = ?");
            params.add(f.to());
        }
        if (f.user() != null) {
            sql.append(" AND r.username = ?");
            params.add(f.user());
        }
        if (f.status() != null) {
            sql.append(" AND r.status = ?");
            params.add(f.status().value());
        }
        if (f.direction() != null) {
            sql.append(" AND r.direction = ?");
            params.add(f.direction());
        }
        if (f.startedAfter() != null) {
            sql.append(" AND r.started_at >= ?");
            params.add(utc(f.startedAfter()));
        }
        if (f.startedBefore() != null) {
            sql.append(" AND r.started_at < ?");
            params.add(utc(f.startedBefore()));
        }
        if (cursor != null) {
            sql.append(" AND (r.started_at, r.id) < (?, ?)");
            params.add(utc(cursor.startedAt()));
            params.add(cursor.id());
        }
        return sql.toString();
    }

    /** The user placed the call (platform username) or is its calling or called party (address of record). */
    private static String party(CallParty party, List<Object> params) {
        if (party == null) {
            return "";
        }
        params.add(party.username());
        params.add(party.aor());
        params.add(party.aor());
        return " AND (r.username = ? OR r.from_uri = ? OR r.to_uri = ?)";
    }

    /**
     * Plans the listing for the actual filter values every time. A server-prepared statement would
     * switch to PostgreSQL's generic plan after a few executions, and without the values the planner
     * may walk the tenant's newest-first index and filter (tens of milliseconds at a million records)
     * instead of using the index of the filter (a fraction of a millisecond). Planning costs far less.
     */
    private static void planForTheseValues(PreparedStatement ps) throws SQLException {
        ps.unwrap(PGStatement.class).setPrepareThreshold(0);
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
    }

    private static CallRecordView row(ResultSet rs) throws SQLException {
        CallRecordView.Quality quality = null;
        rs.getLong("m_seq");
        if (!rs.wasNull()) {
            quality = new CallRecordView.Quality(rs.getBoolean("m_final"), instant(rs.getTimestamp("m_reported_at")),
                    stream(rs, "c2c_"), stream(rs, "c2r_"));
        }
        return new CallRecordView(rs.getObject("id", UUID.class), rs.getString("call_id"), rs.getString("from_uri"),
                rs.getString("to_uri"), rs.getString("username"), rs.getString("direction"), rs.getString("status"),
                instant(rs.getTimestamp("started_at")), instant(rs.getTimestamp("ringing_at")),
                instant(rs.getTimestamp("answered_at")), instant(rs.getTimestamp("ended_at")),
                longOrNull(rs, "ring_ms"), longOrNull(rs, "talk_ms"), integer(rs, "sip_code"), rs.getString("cause"),
                rs.getString("hangup_by"), quality, null);
    }

    private static CallRecordView.Stream stream(ResultSet rs, String prefix) throws SQLException {
        long packets = rs.getLong(prefix + "packets");
        if (rs.wasNull()) {
            return null;
        }
        long lost = rs.getLong(prefix + "lost");
        long expected = packets + lost;
        double lossPercent = expected == 0 ? 0.0 : Math.round(10_000.0 * lost / expected) / 100.0;
        return new CallRecordView.Stream(packets, rs.getLong(prefix + "bytes"), lost, lossPercent,
                rs.getDouble(prefix + "jitter_ms"), doubleOrNull(rs, prefix + "rtt_ms"), doubleOrNull(rs, prefix + "mos"));
    }

    private static OffsetDateTime utc(Instant t) {
        return OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    private static Double doubleOrNull(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
