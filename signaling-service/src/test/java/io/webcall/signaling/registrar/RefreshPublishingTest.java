package io.webcall.signaling.registrar;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which binding changes go on the {@code sip-registrations} topic: refreshes of an unchanged binding only when due. */
class RefreshPublishingTest {

    static final long NOW = 1_000_000_000L;

    static Binding binding(String contact, String flow, long expiresAt, String callId, long cseq) {
        return new Binding("sip:alice@demo.localhost", contact, "<urn:uuid:1>", 1, flow, "WS", "127.0.0.1", 40000, "edge-a",
                "sip:127.0.0.1:5060;transport=tcp", "tenant-1", expiresAt, callId, cseq);
    }

    @Test
    void aNewBindingIsPublished() {
        assertTrue(BindingReplication.needsPublishing(null, binding("sip:a@x.invalid", "ws1", NOW + 600_000, "c1", 1), NOW));
    }

    @Test
    void aRefreshThatChangesOnlyExpiryAndCseqIsNotRepublishedWhileThePublishedCopyHasHalfTheIntervalLeft() {
        Binding published = binding("sip:a@x.invalid", "ws1", NOW + 600_000, "c1", 1);
        // refreshed 10 s later for another 600 s: the other edges' copy still runs 590 s
        assertFalse(BindingReplication.needsPublishing(published, binding("sip:a@x.invalid", "ws1", NOW + 610_000, "c1", 2), NOW + 10_000));
        // refreshed 400 s later: the published copy has 200 s left, less than half of the new 600 s
        assertTrue(BindingReplication.needsPublishing(published, binding("sip:a@x.invalid", "ws1", NOW + 1_000_000, "c1", 3), NOW + 400_000));
    }

    @Test
    void anyOtherChangeIsPublishedAtOnce() {
        Binding published = binding("sip:a@x.invalid", "ws1", NOW + 600_000, "c1", 1);
        assertTrue(BindingReplication.needsPublishing(published, binding("sip:b@x.invalid", "ws1", NOW + 600_000, "c1", 2), NOW));
        assertTrue(BindingReplication.needsPublishing(published, binding("sip:a@x.invalid", "ws2", NOW + 600_000, "c1", 2), NOW));
        assertTrue(BindingReplication.needsPublishing(published, binding("sip:a@x.invalid", "ws1", NOW + 600_000, "c2", 1), NOW));
    }
}
