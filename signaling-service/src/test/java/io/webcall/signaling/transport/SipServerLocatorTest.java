package io.webcall.signaling.transport;

import io.vertx.core.dns.SrvRecord;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RFC 2782 order of SRV records and what counts as an address that needs no lookup. */
class SipServerLocatorTest {

    private static SrvRecord srv(int priority, int weight, int port, String target) {
        return new SrvRecord() {
            public int priority() { return priority; }
            public int weight() { return weight; }
            public int port() { return port; }
            public String name() { return "_sip._udp.pbx.example"; }
            public String protocol() { return "_udp"; }
            public String service() { return "_sip"; }
            public String target() { return target; }
        };
    }

    @Test
    void theLowestPriorityWinsAndItsRecordsShareTheCallsByWeight() {
        List<SrvRecord> records = List.of(srv(20, 100, 5060, "backup"), srv(10, 30, 5060, "a"), srv(10, 10, 5060, "b"),
                srv(10, 0, 5060, "c"));
        Map<String, Integer> picked = new HashMap<>();
        for (int i = 0; i < 4000; i++) {
            picked.merge(SipServerLocator.order(records).get(0).target(), 1, Integer::sum);
        }
        assertFalse(picked.containsKey("backup"), "a higher priority value is only a fallback: " + picked);
        assertFalse(picked.containsKey("c"), "weight 0 is not picked while others have weight: " + picked);
        int a = picked.getOrDefault("a", 0);
        assertTrue(a > 2700 && a < 3300, "weight 30 of 40 gets about three quarters: " + picked);
    }

    @Test
    void everyRecordIsInTheOrderPrioritiesAscendingWeightZeroLastWithinItsPriority() {
        List<SrvRecord> records = List.of(srv(20, 100, 5060, "backup"), srv(10, 30, 5060, "a"), srv(10, 0, 5060, "c"),
                srv(10, 10, 5060, "b"));
        for (int i = 0; i < 200; i++) {
            List<String> order = SipServerLocator.order(records).stream().map(SrvRecord::target).toList();
            assertEquals(4, order.size(), order.toString());
            assertEquals("c", order.get(2), "weight 0 after the weighted ones of its priority: " + order);
            assertEquals("backup", order.get(3), "the higher priority value last: " + order);
        }
    }

    @Test
    void recordsAllOfWeightZeroAreStillChosen() {
        List<SrvRecord> records = List.of(srv(10, 0, 5060, "a"), srv(10, 0, 5062, "b"));
        Map<String, Integer> picked = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            picked.merge(SipServerLocator.order(records).get(0).target(), 1, Integer::sum);
        }
        assertEquals(2, picked.size(), picked.toString());
    }

    @Test
    void addressesAndPortsNeedNoLookupDomainsDo() {
        assertTrue(SipServerLocator.isIpLiteral("192.0.2.10"));
        assertTrue(SipServerLocator.isIpLiteral("[2001:db8::1]"));
        assertTrue(SipServerLocator.isIpLiteral("2001:db8::1"));
        assertFalse(SipServerLocator.isIpLiteral("pbx.example.com"));
        assertFalse(SipServerLocator.isIpLiteral("10.example"));
        assertEquals(5061, SipServerLocator.defaultPort(Transport.TLS));
        assertEquals(5060, SipServerLocator.defaultPort(Transport.UDP));
    }
}
