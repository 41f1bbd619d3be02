package io.webcall.local;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FreePortsTest {

    @Test
    void zerosBecomeDistinctFreePortsAndAnRtpBlock() {
        Ports ports = FreePorts.resolve(Ports.free());
        List<Integer> single = List.of(ports.postgres(), ports.kafka(), ports.edgeHttp(), ports.edgeWss(), ports.sip(),
                ports.account(), ports.relayControl(), ports.relayWebRtc());
        Set<Integer> distinct = new HashSet<>(single);
        assertEquals(single.size(), distinct.size(), single.toString());
        single.forEach(p -> assertTrue(p > 0, single.toString()));
        assertEquals(0, ports.rtpMin() % 2, "RTP block starts on an even port");
        assertEquals(Ports.FREE_RTP_RANGE_SIZE - 1, ports.rtpMax() - ports.rtpMin());
        assertTrue(single.stream().noneMatch(p -> p >= ports.rtpMin() && p <= ports.rtpMax()), "overlaps the RTP block");
    }

    @Test
    void explicitPortsAreKept() {
        Ports given = Ports.free().withAccount(18081).withRtpRange(30000, 30009);
        Ports resolved = FreePorts.resolve(given);
        assertEquals(18081, resolved.account());
        assertEquals(30000, resolved.rtpMin());
        assertEquals(30009, resolved.rtpMax());
    }
}
