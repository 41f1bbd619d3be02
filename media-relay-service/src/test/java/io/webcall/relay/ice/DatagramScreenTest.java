package io.webcall.relay.ice;

import io.webcall.relay.stats.DropReason;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The screen in front of the shared WebRTC port (RFC 8489 short-term credentials, RFC 7983 demultiplexing). */
class DatagramScreenTest {

    private static final InetSocketAddress KNOWN = new InetSocketAddress("127.0.0.1", 40000);
    private static final InetSocketAddress STRANGER = new InetSocketAddress("127.0.0.1", 40002);
    private final DatagramScreen screen = new DatagramScreen(Map.of("relayufrag", "relay-password")::get,
            KNOWN::equals);

    private DropReason check(byte[] datagram, InetSocketAddress from) {
        return screen.check(datagram, 0, datagram.length, from);
    }

    @Test
    void aBindingRequestWithTheSessionsPasswordPassesFromAnyAddress() throws Exception {
        byte[] request = BadDatagramsTest.bindingRequest("relayufrag:peer",
                "relay-password".getBytes(StandardCharsets.UTF_8));
        assertNull(check(request, STRANGER));
        assertNull(check(request, KNOWN));
    }

    @Test
    void aBindingRequestWithAWrongPasswordOrAForeignUfragIsRefusedEvenFromAKnownAddress() throws Exception {
        assertEquals(DropReason.STUN_BAD_CREDENTIALS, check(BadDatagramsTest.bindingRequest("relayufrag:peer",
                "guess".getBytes(StandardCharsets.UTF_8)), KNOWN));
        assertEquals(DropReason.STUN_UNKNOWN_UFRAG, check(BadDatagramsTest.bindingRequest("other:peer",
                "relay-password".getBytes(StandardCharsets.UTF_8)), STRANGER));
    }

    @Test
    void aBindingRequestWhoseIntegrityWasAlteredOrRemovedIsRefused() throws Exception {
        byte[] request = BadDatagramsTest.bindingRequest("relayufrag:peer",
                "relay-password".getBytes(StandardCharsets.UTF_8));
        byte[] altered = request.clone();
        altered[altered.length - 25] ^= 1;  // inside ICE-CONTROLLING, covered by MESSAGE-INTEGRITY
        assertEquals(DropReason.STUN_BAD_CREDENTIALS, check(altered, STRANGER));
        byte[] withoutIntegrity = java.util.Arrays.copyOf(request, request.length - 24);
        withoutIntegrity[3] = (byte) (withoutIntegrity[3] - 24);
        assertEquals(DropReason.STUN_BAD_CREDENTIALS, check(withoutIntegrity, STRANGER));
    }

    @Test
    void dtlsAndMediaPassOnlyFromAnAcceptedAddress() {
        byte[] dtls = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
        byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 9};
        assertNull(check(dtls, KNOWN));
        assertNull(check(rtp, KNOWN));
        assertEquals(DropReason.DTLS_UNKNOWN_SOURCE, check(dtls, STRANGER));
        assertEquals(DropReason.GARBAGE, check(rtp, STRANGER));
        assertEquals(DropReason.GARBAGE, check(new byte[] {(byte) 0xff}, STRANGER));
        assertEquals(DropReason.GARBAGE, check(new byte[0], STRANGER));
    }

    @Test
    void truncatedStunIsGarbage() throws Exception {
        byte[] request = BadDatagramsTest.bindingRequest("relayufrag:peer",
                "relay-password".getBytes(StandardCharsets.UTF_8));
        assertEquals(DropReason.GARBAGE, check(java.util.Arrays.copyOf(request, 30), STRANGER));
    }
}
