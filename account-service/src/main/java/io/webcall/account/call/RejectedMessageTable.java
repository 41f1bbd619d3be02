package io.webcall.account.call;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Keeps messages that are not valid events in {@code call_event_rejected}, once per topic, partition and offset. */
final class RejectedMessageTable {

    private static final String INSERT_REJECTED = """
            INSERT INTO call_event_rejected (topic, kafka_partition, kafka_offset, message_key, payload, error, received_at)
            VALUES (?, ?, ?, ?, ?, ?, now())
            ON CONFLICT DO NOTHING
            """;

    private RejectedMessageTable() {
    }

    static void insert(Connection c, List<RejectedMessage> rejected) throws SQLException {
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
                ps.setString(6, TextColumns.fit(r.error(), 2000));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
