package io.webcall.relay.ice;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.peer.EchoCall;
import io.webcall.relay.sdp.SdpParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.ByteArrayOutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile datagrams on the shared WebRTC port: garbage, STUN for unknown sessions, STUN with a wrong
 * password, DTLS from an unknown address. None gets a positive answer or disturbs a running call.
 */
@QuarkusTest
class BadDatagramsTest {

    @Inject
    IceHarvesterHolder harvester;

    @Test
    void garbageUnknownStunAndStrayDtlsAreIgnoredWhileACallKeepsFlowing() throws Exception {
        try (EchoCall call = EchoCall.open("garbage");
             DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            attacker.setSoTimeout(300);
            InetSocketAddress relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), harvester.port());
            Random random = new Random(42);
            for (int i = 0; i < 300; i++) {
                byte[] junk = new byte[1 + random.nextInt(400)];
                random.nextBytes(junk);
                attacker.send(new DatagramPacket(junk, junk.length, relay));
            }
            byte[] strayDtls = {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1};
            attacker.send(new DatagramPacket(strayDtls, strayDtls.length, relay));
            byte[] unknownStun = bindingRequest("nosuchufrag:peer", "whatever".getBytes(StandardCharsets.UTF_8));
            attacker.send(new DatagramPacket(unknownStun, unknownStun.length, relay));
            assertNoAnswer(attacker);
            assertTrue(call.roundTrip(10) >= 9, "the call is not disturbed");
        }
    }

    @Test
    void stunWithAWrongPasswordGetsNoSuccessResponse() throws Exception {
        try (EchoCall call = EchoCall.open("badstun");
             DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            attacker.setSoTimeout(1000);
            String relayUfrag = SdpParser.parse(call.answer()).audioAttribute("ice-ufrag").orElseThrow();
            InetSocketAddress relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), harvester.port());
            byte[] request = bindingRequest(relayUfrag + ":attacker", "wrong-password".getBytes(StandardCharsets.UTF_8));
            attacker.send(new DatagramPacket(request, request.length, relay));
            byte[] buf = new byte[1500];
            DatagramPacket response = new DatagramPacket(buf, buf.length);
            try {
                attacker.receive(response);
                int type = ((buf[0] & 0xff) << 8) | (buf[1] & 0xff);
                assertNotEquals(0x0101, type, "no Binding success for a wrong MESSAGE-INTEGRITY");
                assertEquals(0x0111, type, "an error response, if anything (RFC 8489 section 9.1.3)");
            } catch (SocketTimeoutException dropped) {
                // dropping is fine too
            }
            assertTrue(call.roundTrip(10) >= 9, "the call is not disturbed");
        }
    }

    private static void assertNoAnswer(DatagramSocket socket) throws Exception {
        byte[] buf = new byte[1500];
        try {
            socket.receive(new DatagramPacket(buf, buf.length));
            throw new AssertionError("the relay answered a bad datagram");
        } catch (SocketTimeoutException expected) {
            // nothing came back
        }
    }

    /** A STUN Binding request (RFC 8489) with USERNAME and a MESSAGE-INTEGRITY keyed by {@code key}. */
    static byte[] bindingRequest(String username, byte[] key) throws Exception {
        byte[] user = username.getBytes(StandardCharsets.UTF_8);
        int userPadded = (user.length + 3) & ~3;
        ByteArrayOutputStream attrs = new ByteArrayOutputStream();
        attrs.write(new byte[] {0x00, 0x06, (byte) (user.length >> 8), (byte) user.length});
        attrs.write(user);
        attrs.write(new byte[userPadded - user.length]);
        // PRIORITY and ICE-CONTROLLING as a browser sends them
        attrs.write(new byte[] {0x00, 0x24, 0, 4, 0x6e, 0, 0x1e, (byte) 0xff});
        attrs.write(new byte[] {(byte) 0x80, 0x2a, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8});
        byte[] body = attrs.toByteArray();
        ByteBuffer msg = ByteBuffer.allocate(20 + body.length + 24);
        msg.putShort((short) 0x0001);
        msg.putShort((short) (body.length + 24));
        msg.putInt(0x2112A442);
        byte[] txid = new byte[12];
        new Random().nextBytes(txid);
        msg.put(txid);
        msg.put(body);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        mac.update(msg.array(), 0, 20 + body.length);
        msg.putShort((short) 0x0008);
        msg.putShort((short) 20);
        msg.put(mac.doFinal());
        return msg.array();
    }
}
