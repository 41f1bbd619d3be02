package io.webcall.signaling.media;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How {@link RelayPool} ranks relays for a call, skips a down relay, and remembers and forgets calls. */
class RelayPoolRankingTest {

    private static final long SECOND = 1_000_000_000L;
    private static final List<String> THREE = List.of("http://10.0.0.1:8082", "http://10.0.0.2:8082", "http://10.0.0.3:8082");

    @Test
    void everyEdgeRanksTheRelaysOfACallTheSameWayAndCallsSpreadEvenly() {
        RelayPool one = new RelayPool(THREE, 5 * SECOND, 60 * SECOND);
        RelayPool other = new RelayPool(List.of(THREE.get(2), THREE.get(0), THREE.get(1)), 5 * SECOND, 60 * SECOND);
        int[] first = new int[3];
        for (int i = 0; i < 3000; i++) {
            String callId = "call-" + i + "@example.com";
            String chosen = one.firstRanked(callId).url;
            assertEquals(chosen, other.firstRanked(callId).url, "the order of the list does not matter");
            assertEquals(chosen, one.candidates(callId, 0).get(0).url, "the first candidate is the first-ranked relay");
            first[THREE.indexOf(chosen)]++;
        }
        for (int n : first) {
            assertTrue(n > 850 && n < 1150, "about a third of the calls rank each relay first: " + java.util.Arrays.toString(first));
        }
    }

    @Test
    void addingARelayMovesOnlyTheCallsThatRankItFirst() {
        RelayPool two = new RelayPool(THREE.subList(0, 2), 5 * SECOND, 60 * SECOND);
        RelayPool three = new RelayPool(THREE, 5 * SECOND, 60 * SECOND);
        int moved = 0;
        for (int i = 0; i < 3000; i++) {
            String callId = "call-" + i;
            String before = two.firstRanked(callId).url;
            String after = three.firstRanked(callId).url;
            if (!before.equals(after)) {
                assertEquals(THREE.get(2), after, "a call only moves to the new relay");
                moved++;
            }
        }
        assertTrue(moved > 850 && moved < 1150, "about a third of the calls move: " + moved);
    }

    @Test
    void aRelayMarkedDownIsTriedLastUntilItsRetryTime() {
        RelayPool pool = new RelayPool(THREE, 5 * SECOND, 60 * SECOND);
        String callId = "down-test";
        RelayPool.Relay best = pool.candidates(callId, 0).get(0);
        pool.markDown(best, 0);
        List<RelayPool.Relay> whileDown = pool.candidates(callId, SECOND);
        assertSame(best, whileDown.get(2), "the down relay comes last");
        assertEquals(2, pool.available(SECOND));
        assertSame(best, pool.candidates(callId, 6 * SECOND).get(0), "after the retry time it ranks first again");
        assertEquals(3, pool.available(6 * SECOND));
    }

    @Test
    void aCallIsRememberedUntilReleasedOrIdleTooLong() {
        RelayPool pool = new RelayPool(THREE, 5 * SECOND, 60 * SECOND);
        RelayPool.Relay second = pool.relays().get(1);
        pool.assign("kept", second, 0);
        pool.assign("released", second, 0);
        assertSame(second, pool.assigned("kept", 40 * SECOND), "used at 40 s");
        assertSame(second, pool.release("released"));
        assertNull(pool.assigned("released", 41 * SECOND));
        assertEquals(0, pool.forgetIdle(90 * SECOND), "last used 50 s ago: kept");
        assertEquals(1, pool.forgetIdle(101 * SECOND), "last used 61 s ago: forgotten");
        assertNull(pool.assigned("kept", 101 * SECOND));
    }

    @Test
    void aBadRelayUrlIsRefusedAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> new RelayPool(List.of("127.0.0.1:8082"), SECOND, SECOND));
        assertThrows(IllegalArgumentException.class, () -> new RelayPool(List.of(" "), SECOND, SECOND));
    }
}
