package io.webcall.relay.ice;

import io.quarkus.test.junit.QuarkusTest;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.sdp.SdpParser;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every class of bad input on the WebRTC side of a bridged call (garbage, STUN for an unknown session, STUN
 * with wrong or missing credentials, DTLS from an unknown address, SRTP failing authentication, replayed
 * SRTP, garbage from the browser's own address) is dropped, counted by reason on {@code /q/metrics}, and
 * never reaches the other leg (a PBX socket); the call keeps working.
 */
@QuarkusTest
class BadInputIsCountedTest {

    private static final Pattern DROPPED = Pattern.compile(
            "^relay_packets_dropped_total\\{[^}]*reason=\"([a-z_]+)\"[^}]*} ([0-9.E+-]+)$", Pattern.MULTILINE);

    @Inject
    IceHarvesterHolder harvester;

    @Test
    void eachKindOfBadInputIsDroppedCountedAndNeverReachesThePbx() throws Exception {
        String callId = "bad-input-" + System.nanoTime();
        try (TestPeer peer = new TestPeer();
             DatagramSocket pbx = new DatagramSocket(0, InetAddress.getLoopbackAddress());
             DatagramSocket attacker = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "rtp");
            String webrtcAnswer = RelayApi.answer(callId, "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                    + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + pbx.getLocalPort() + " RTP/AVP 0\r\n"
                    + "a=rtpmap:0 PCMU/8000\r\n", "rtp", "webrtc");
            peer.connect(webrtcAnswer).get(20, TimeUnit.SECONDS);
            String relayUfrag = SdpParser.parse(webrtcAnswer).audioAttribute("ice-ufrag").orElseThrow();
            InetSocketAddress relay = new InetSocketAddress(InetAddress.getLoopbackAddress(), harvester.port());

            List<byte[]> genuine = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                genuine.add(peer.sendRtp(0, new byte[160], false));
            }
            assertEquals(3, drain(pbx, 3, 5000), "genuine audio reaches the PBX");

            Map<String, Double> before = dropCounters();
            Random random = new Random(7);
            for (int i = 0; i < 40; i++) {
                byte[] junk = new byte[1 + random.nextInt(300)];
                random.nextBytes(junk);
                junk[0] = (byte) (i % 2 == 0 ? 0x80 : 0x40 + random.nextInt(0x40));
                send(attacker, relay, junk);
            }
            send(attacker, relay, BadDatagramsTest.bindingRequest(relayUfrag + ":attacker",
                    "wrong-password".getBytes(StandardCharsets.UTF_8)));
            send(attacker, relay, BadDatagramsTest.bindingRequest("nosuchufrag:attacker",
                    "whatever".getBytes(StandardCharsets.UTF_8)));
            send(attacker, relay, new byte[] {22, (byte) 0xfe, (byte) 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0});

            byte[] replayed = genuine.get(0).clone();
            peer.sendRaw(replayed);
            byte[] forged = genuine.get(1).clone();
            int newSeq = ((((forged[2] & 0xff) << 8) | (forged[3] & 0xff)) + 10) & 0xffff;
            forged[2] = (byte) (newSeq >> 8);  // a sequence number ahead, which the tag does not cover
            forged[3] = (byte) newSeq;
            peer.sendRaw(forged);
            peer.sendRaw(new byte[] {(byte) 0xff, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});

            Map<String, Double> expected = new TreeMap<>(Map.of("garbage", 40.0, "stun_bad_credentials", 1.0,
                    "stun_unknown_ufrag", 1.0, "dtls_unknown_source", 1.0, "srtp_replay", 1.0, "srtp_auth", 1.0,
                    "malformed", 1.0));
            Map<String, Double> grew = waitForGrowth(before, expected);
            for (var e : expected.entrySet()) {
                assertTrue(grew.getOrDefault(e.getKey(), 0.0) >= e.getValue(),
                        "relay_packets_dropped_total{reason=\"" + e.getKey() + "\"} grew by " + grew.get(e.getKey())
                                + ", expected " + e.getValue() + "; all: " + grew);
            }
            assertEquals(0, drain(pbx, 1, 700), "nothing of the bad input reaches the PBX");
            attacker.setSoTimeout(300);
            try {
                attacker.receive(new DatagramPacket(new byte[1500], 1500));
                fail("the relay answered bad input");
            } catch (SocketTimeoutException expectedTimeout) {
                // dropped without an answer
            }

            peer.sendRtp(0, new byte[160]);
            assertEquals(1, drain(pbx, 1, 5000), "the call still carries genuine audio");
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    private static void send(DatagramSocket from, InetSocketAddress to, byte[] data) throws Exception {
        from.send(new DatagramPacket(data, data.length, to));
    }

    /** Receives up to {@code max} datagrams, waiting at most {@code millis} in all. */
    private static int drain(DatagramSocket socket, int max, long millis) throws Exception {
        int count = 0;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        byte[] buf = new byte[2048];
        while (count < max) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            socket.setSoTimeout((int) left);
            try {
                socket.receive(new DatagramPacket(buf, buf.length));
                count++;
            } catch (SocketTimeoutException e) {
                break;
            }
        }
        return count;
    }

    /** The drop counters as Prometheus exposes them on /q/metrics. */
    private static Map<String, Double> dropCounters() {
        String text = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> counters = new TreeMap<>();
        Matcher m = DROPPED.matcher(text);
        while (m.find()) {
            counters.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return counters;
    }

    /** Waits (bounded) until every counter grew by its expected amount; returns the growth seen. */
    private static Map<String, Double> waitForGrowth(Map<String, Double> before, Map<String, Double> expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            Map<String, Double> now = dropCounters();
            Map<String, Double> grew = new TreeMap<>();
            now.forEach((k, v) -> grew.put(k, v - before.getOrDefault(k, 0.0)));
            boolean all = expected.entrySet().stream().allMatch(e -> grew.getOrDefault(e.getKey(), 0.0) >= e.getValue());
            if (all || System.nanoTime() > deadline) {
                return grew;
            }
            Thread.sleep(50);
        }
    }
}
