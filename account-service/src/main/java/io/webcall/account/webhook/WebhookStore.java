package io.webcall.account.webhook;

import io.agroal.api.AgroalDataSource;
import io.webcall.account.error.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Webhooks and their delivery log; every query is bound to one tenant. */
@ApplicationScoped
public class WebhookStore {

    private final AgroalDataSource dataSource;

    public WebhookStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public WebhookView create(UUID tenantId, String url, List<String> events, int maxPerTenant) throws SQLException {
        UUID id = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // serialises registrations of one tenant so the limit holds
                try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
                    lock.setString(1, "webhook:" + tenantId);
                    lock.execute();
                }
                try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM webhook WHERE tenant_id = ?")) {
                    count.setObject(1, tenantId);
                    try (ResultSet rs = count.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) >= maxPerTenant) {
                            throw ApiException.conflict("url", "a tenant may register at most " + maxPerTenant + " webhooks");
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO webhook (id, tenant_id, url, events, created_at) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setObject(1, id);
                    ps.setObject(2, tenantId);
                    ps.setString(3, url);
                    ps.setArray(4, c.createArrayOf("varchar", events.toArray()));
                    ps.setObject(5, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
                    ps.executeUpdate();
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
        return new WebhookView(id, url, events, now);
    }

    public List<WebhookView> list(UUID tenantId) throws SQLException {
        List<WebhookView> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, url, events, created_at FROM webhook WHERE tenant_id = ? ORDER BY created_at, id")) {
            ps.setObject(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(webhook(rs));
                }
            }
        }
        return out;
    }

    public boolean delete(UUID tenantId, UUID id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM webhook WHERE tenant_id = ? AND id = ?")) {
            ps.setObject(1, tenantId);
            ps.setObject(2, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** The delivery log newest first; {@code cursor} is a value this method returned as {@code next}. */
    public DeliveryPage deliveries(UUID tenantId, UUID webhookId, String status, String cursor, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("""
                SELECT id, webhook_id, event_id, event_type, call_record_id, status, attempts, last_status_code, last_error,
                       last_attempt_at, next_attempt_at, created_at, delivered_at, payload
                FROM webhook_delivery WHERE tenant_id = ?""");
        List<Object> params = new ArrayList<>();
        params.add(tenantId);
        if (webhookId != null) {
            sql.append(" AND webhook_id = ?");
            params.add(webhookId);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            params.add(status);
        }
        if (cursor != null) {
            Object[] position = decodeCursor(cursor);
            sql.append(" AND (created_at, id) < (?, ?)");
            params.add(position[0]);
            params.add(position[1]);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ").append(limit + 1);
        List<DeliveryView> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int code = rs.getInt("last_status_code");
                    Integer lastCode = rs.wasNull() ? null : code;
                    rows.add(new DeliveryView(rs.getObject("id", UUID.class), rs.getObject("webhook_id", UUID.class),
                            rs.getObject("event_id", UUID.class), rs.getString("event_type"),
                            rs.getObject("call_record_id", UUID.class), rs.getString("status"), rs.getInt("attempts"),
                            lastCode, rs.getString("last_error"), instant(rs.getTimestamp("last_attempt_at")),
                            instant(rs.getTimestamp("next_attempt_at")), instant(rs.getTimestamp("created_at")),
                            instant(rs.getTimestamp("delivered_at")), rs.getString("payload")));
                }
            }
        }
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            DeliveryView last = rows.get(limit - 1);
            Instant at = last.createdAt();
            long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
            next = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(("d1|" + micros + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        }
        return new DeliveryPage(rows, next);
    }

    private static Object[] decodeCursor(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length == 3 && "d1".equals(parts[0])) {
                long micros = Long.parseLong(parts[1]);
                Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
                return new Object[] {OffsetDateTime.ofInstant(at, ZoneOffset.UTC), UUID.fromString(parts[2])};
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw ApiException.invalid("cursor", "cursor is not a value returned as 'next' by this API");
    }

    static WebhookView webhook(ResultSet rs) throws SQLException {
        Array events = rs.getArray("events");
        List<String> list = Arrays.stream((Object[]) events.getArray()).map(String::valueOf).toList();
        return new WebhookView(rs.getObject("id", UUID.class), rs.getString("url"), list,
                instant(rs.getTimestamp("created_at")));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
