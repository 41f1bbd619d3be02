package io.webcall.relay.session;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.peer.EchoCall;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Media keeps flowing after ICE processing has terminated (ice4j frees unused candidates after 3 s). */
@QuarkusTest
class LongCallTest {

    @Test
    void mediaStillFlowsSecondsAfterIceCompleted() throws Exception {
        try (EchoCall call = EchoCall.open("long")) {
            assertTrue(call.roundTrip(10) >= 9, "media right after connecting");
            Thread.sleep(4500);
            int later = call.roundTrip(10);
            assertTrue(later >= 9, "media after ICE terminated: " + later);
        }
    }
}
