package io.webcall.relay.srtp;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.peer.EchoCall;
import io.webcall.relay.stats.DropReason;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SRTP that fails authentication and replayed SRTP are dropped and counted (RFC 3711 section 3.3). */
@QuarkusTest
class SrtpRejectionTest {

    @Inject
    RelayMetrics metrics;

    @Test
    void tamperedAndReplayedSrtpIsDroppedAndCounted() throws Exception {
        try (EchoCall call = EchoCall.open("srtp")) {
            call.peer().clearReceived();
            byte[] wire = call.peer().sendRtp(111, new byte[80], false);
            assertTrue(call.peer().poll(1000) != null, "the genuine packet comes back");

            double replaysBefore = metrics.dropped(DropReason.SRTP_REPLAY);
            call.peer().sendRaw(wire.clone());
            call.peer().sendRaw(wire.clone());

            double authBefore = metrics.dropped(DropReason.SRTP_AUTH);
            byte[] tampered = call.peer().sendRtp(111, new byte[80], false);
            call.peer().poll(1000);
            byte[] forged = tampered.clone();
            forged[12] ^= 0x01;
            forged[2] = (byte) (forged[2] + 1);
            call.peer().sendRaw(forged);
            byte[] badTag = call.peer().sendRtp(111, new byte[80], false);
            call.peer().poll(1000);
            badTag[badTag.length - 1] ^= 0x55;
            badTag[3] = (byte) (badTag[3] + 7);
            call.peer().sendRaw(badTag);

            assertEquals(0, call.peer().collect(700).size(), "nothing forged or replayed comes back");
            assertTrue(metrics.dropped(DropReason.SRTP_REPLAY) >= replaysBefore + 2, "replays counted");
            assertTrue(metrics.dropped(DropReason.SRTP_AUTH) >= authBefore + 2, "authentication failures counted");
            assertTrue(call.roundTrip(10) >= 9, "genuine media still flows");
        }
    }
}
