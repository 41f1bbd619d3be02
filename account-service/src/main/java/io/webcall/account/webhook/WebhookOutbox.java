package io.webcall.account.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.webcall.account.call.AppliedEvent;
import io.webcall.account.call.CallEventListener;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Queues webhook deliveries for newly stored call events, in the same transaction that stores them:
 * a delivery exists exactly when its event is stored, and a redelivered event queues nothing new
 * (unique per webhook and event).
 */
@ApplicationScoped
public class WebhookOutbox implements CallEventListener {

    private static final String INSERT = """
            INSERT INTO webhook_delivery (id, tenant_id, webhook_id, event_id, event_type, call_record_id, payload, status,
                   attempts, next_attempt_at, created_at)
            SELECT d.id::uuid, d.tenant_id::uuid, d.webhook_id::uuid, d.event_id::uuid, d.event_type, d.record_id::uuid,
                   d.payload, 'pending', 0, now(), now()
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                 AS d(id, tenant_id, webhook_id, event_id, event_type, record_id, payload)
            ON CONFLICT (webhook_id, event_id) DO NOTHING
            """;

    private final ObjectMapper mapper;

    public WebhookOutbox(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    private record Hook(UUID id, Set<String> events) {
    }

    @Override
    public void onApplied(Connection c, List<AppliedEvent> applied) throws SQLException {
        Set<UUID> tenants = new LinkedHashSet<>();
        for (AppliedEvent a : applied) {
            tenants.add(a.event().tenantId());
        }
        Map<UUID, List<Hook>> hooks = hooks(c, tenants);
        if (hooks.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (AppliedEvent a : applied) {
            List<Hook> tenantHooks = hooks.get(a.event().tenantId());
            if (tenantHooks == null) {
                continue;
            }
            String type = WebhookEventType.of(a.event().type()).value();
            for (Hook hook : tenantHooks) {
                if (!hook.events().contains(type)) {
                    continue;
                }
                UUID deliveryId = UUID.randomUUID();
                rows.add(new String[] {deliveryId.toString(), a.event().tenantId().toString(), hook.id().toString(),
                        a.event().eventId().toString(), type, a.record().id().toString(), payload(deliveryId, type, a)});
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            for (int col = 0; col < 7; col++) {
                String[] values = new String[rows.size()];
                for (int r = 0; r < rows.size(); r++) {
                    values[r] = rows.get(r)[col];
                }
                ps.setArray(col + 1, c.createArrayOf("text", values));
            }
            ps.executeUpdate();
        }
    }

    private Map<UUID, List<Hook>> hooks(Connection c, Set<UUID> tenants) throws SQLException {
        Map<UUID, List<Hook>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, tenant_id, events FROM webhook WHERE tenant_id = ANY(?::uuid[])")) {
            ps.setArray(1, c.createArrayOf("text", tenants.stream().map(UUID::toString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array events = rs.getArray("events");
                    Set<String> set = new LinkedHashSet<>();
                    for (Object o : (Object[]) events.getArray()) {
                        set.add(String.valueOf(o));
                    }
                    out.computeIfAbsent(rs.getObject("tenant_id", UUID.class), k -> new ArrayList<>())
                            .add(new Hook(rs.getObject("id", UUID.class), set));
                }
            }
        }
        return out;
    }

    private String payload(UUID deliveryId, String type, AppliedEvent a) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", deliveryId);
        body.put("type", type);
        body.put("createdAt", Instant.now());
        body.put("eventId", a.event().eventId());
        body.put("eventTime", a.event().time());
        body.put("seq", a.event().seq());
        body.put("call", a.record());
        try {
            return mapper.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook payload", e);
        }
    }
}
