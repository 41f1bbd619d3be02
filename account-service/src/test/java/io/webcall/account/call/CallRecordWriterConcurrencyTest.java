package io.webcall.account.call;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.webcall.account.AccountApi;
import io.webcall.events.CallEvent;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two writers storing different events of the same calls at the same moment (consumers overlapping
 * during a rebalance, or two service instances) still produce complete records: no lost update.
 */
@QuarkusTest
@TestProfile(CallRecordsProfile.class)
class CallRecordWriterConcurrencyTest {

    @Inject
    CallRecordWriter writer;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void concurrentBatchesWithDifferentEventsOfTheSameCallsGiveCompleteRecords() throws Exception {
        UUID tenant = UUID.fromString(AccountApi.createTenant(AccountApi.uniqueDomain("concurrent")));
        Instant start = Instant.parse("2026-11-23T00:00:00Z");
        for (int round = 0; round < 5; round++) {
            List<CallEvent> early = new ArrayList<>();
            List<CallEvent> late = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                List<CallEvent> call = CallScenarios.answered(tenant, "c-" + round + "-" + i, start.plusSeconds(i), "alice",
                        "sip:x@pbx", 20);
                early.addAll(call.subList(0, 2));
                late.addAll(call.subList(2, 4));
            }
            CyclicBarrier barrier = new CyclicBarrier(2);
            CompletableFuture<Void> a = CompletableFuture.runAsync(() -> storeRetrying(barrier, early));
            CompletableFuture<Void> b = CompletableFuture.runAsync(() -> storeRetrying(barrier, late));
            a.join();
            b.join();
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*), count(*) FILTER (WHERE status = 'completed' AND event_count = 4 AND talk_ms = 20000 "
                        + "AND ring_ms = 3000 AND username = 'alice') FROM call_record WHERE tenant_id = ?")) {
            ps.setObject(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(1000, rs.getInt(1));
                assertEquals(1000, rs.getInt(2), "every record has all four events folded in");
            }
        }
    }

    private void storeRetrying(CyclicBarrier barrier, List<CallEvent> events) {
        try {
            barrier.await();
            for (int attempt = 1; ; attempt++) {
                try {
                    writer.store(events, List.of(), List.of());
                    return;
                } catch (SQLException e) {
                    // a deadlock between the two is detected by PostgreSQL; the consumer retries the same way
                    if (attempt == 5) {
                        throw e;
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
