package io.webcall.relay.rtcp;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.webcall.events.EventJson;
import io.webcall.events.MediaStats;
import io.webcall.events.Topics;
import io.webcall.infra.test.KafkaTestResource;
import io.webcall.relay.control.RelayApi;
import io.webcall.relay.peer.EchoCall;
import io.webcall.relay.peer.TestPeer;
import io.webcall.relay.rtp.RtpPackets;
import io.webcall.relay.sdp.SdpParser;
import io.webcall.relay.session.MediaSession;
import io.webcall.relay.session.SessionRegistry;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The relay writes its own RTCP where nobody else reports (RFC 3550 section 6.4): in echo mode toward the
 * peer, and in a bridge toward each side whose other side sends no RTCP. Its report blocks let the peer
 * measure the round trip; the peer's report blocks on the relay's SRs give the relay RTT = now - LSR - DLSR,
 * which {@code GET /v1/sessions/{id}} and the {@code media-stats} events carry.
 */
@QuarkusTest
@QuarkusTestResource(KafkaTestResource.class)
class RelayRtcpReportsTest {

    /** How long each side holds the relay's SR before answering it: the DLSR the relay must subtract. */
    private static final long HOLD_MILLIS = 1500;

    @Inject
    SessionRegistry sessions;

    @Test
    void inEchoModeTheRelayReportsToThePeerAndMeasuresRttFromThePeersReports() throws Exception {
        String callId;
        try (EchoCall call = EchoCall.open("rtt-echo")) {
            callId = call.callId();
            TestPeer peer = call.peer();
            assertTrue(call.roundTrip(20) >= 19);
            // an SR that quotes no relay SR yet (LSR 0): the relay's only RTT source is the held one below
            peer.sendReportQuoting(new long[] {0, 0});

            // the relay's report block on the peer's stream quotes the peer's SR: the peer gets an RTT
            RtcpReports.ReportBlock block = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while ((block == null || block.lastSr() == 0) && System.nanoTime() < deadline) {
                block = peer.pollReportAboutMe(500);
            }
            assertNotNull(block, "the relay reports on the peer's stream");
            assertTrue(block.lastSr() != 0, "the report block quotes the peer's SR (LSR)");
            assertEquals(0, block.cumulativeLost(), "nothing lost");
            assertEquals(1019, block.extendedHighestSequence(), "20 packets from sequence number 1000");
            assertTrue(peer.rttMs() >= 0, "the peer measured a round trip to the relay: " + peer.rttMs());

            double rtt = relayMeasuredRtt(peer, callId);
            assertTrue(rtt >= 0 && rtt < HOLD_MILLIS, "RTT = now - LSR - DLSR, the peer's hold subtracted: " + rtt);
        }

        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaTestResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.MEDIA_STATS));
            MediaStats last = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((last == null || !last.finalReport()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (callId.equals(r.key())) {
                        last = EventJson.decodeMediaStats(r.value());
                    }
                }
            }
            assertNotNull(last, "media-stats for the call");
            assertTrue(last.finalReport());
            assertNotNull(last.callerToCallee().rttMs(), "the final media-stats carry the measured RTT");
            assertTrue(last.callerToCallee().rttMs() >= 0 && last.callerToCallee().rttMs() < HOLD_MILLIS);
        }
    }

    @Test
    void inABridgeWithASilentPbxTheRelayMeasuresTheRttOfEachLeg() throws Exception {
        String callId = "rtt-bridge-" + System.nanoTime();
        DatagramSocket[] pbx = evenPortPair();
        try (TestPeer peer = new TestPeer(); DatagramSocket pbxRtp = pbx[0]; DatagramSocket pbxRtcp = pbx[1]) {
            String rtpOffer = RelayApi.offer(callId, peer.offer("sendrecv"), "webrtc", "rtp");
            String webrtcAnswer = RelayApi.answer(callId, "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
                    + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + pbxRtp.getLocalPort() + " RTP/AVP 0\r\n"
                    + "a=rtpmap:0 PCMU/8000\r\n", "rtp", "webrtc");
            peer.connect(webrtcAnswer).get(20, TimeUnit.SECONDS);
            int relayPort = SdpParser.parse(rtpOffer).audio().port();
            InetSocketAddress relayRtp = new InetSocketAddress(InetAddress.getLoopbackAddress(), relayPort);
            InetSocketAddress relayRtcp = new InetSocketAddress(InetAddress.getLoopbackAddress(), relayPort + 1);

            // media both ways; the PBX sends no RTCP of its own
            for (int i = 0; i < 10; i++) {
                peer.sendRtp(0, new byte[160]);
                byte[] rtp = new byte[12 + 160];
                rtp[0] = (byte) 0x80;
                rtp[3] = (byte) i;
                RtpPackets.setSsrc(rtp, 0, 0x5eed);
                pbxRtp.send(new DatagramPacket(rtp, rtp.length, relayRtp));
                Thread.sleep(5);
            }
            assertNotNull(peer.poll(5000), "PBX audio reaches the peer");

            // leg toward the PBX: the relay's SR arrives on the PBX's RTCP port; the PBX answers with an RR
            pbxRtcp.setSoTimeout(10_000);
            byte[] buf = new byte[1500];
            DatagramPacket sr = new DatagramPacket(buf, buf.length);
            do {
                pbxRtcp.receive(sr);
            } while ((buf[1] & 0xff) != 200);
            long srArrival = System.nanoTime();
            long lsr = ((RtpPackets.readUnsignedInt(buf, 8) & 0xffff) << 16) | (RtpPackets.readUnsignedInt(buf, 12) >>> 16);
            int relaySsrc = (int) RtpPackets.readUnsignedInt(buf, 4);
            Thread.sleep(HOLD_MILLIS);
            long dlsr = (System.nanoTime() - srArrival) * 65536 / 1_000_000_000L;
            byte[] rr = RtcpReports.compound(0x5eed, null,
                    new RtcpReports.ReportBlock(relaySsrc, 0, 0, 0, 0, lsr, dlsr), "pbx");
            pbxRtcp.send(new DatagramPacket(rr, rr.length, relayRtcp));

            // leg toward the browser: the relay writes SRs there because the PBX does not
            double browserLegRtt = relayMeasuredRtt(peer, callId);
            assertTrue(browserLegRtt >= 0, "RTT toward the browser: " + browserLegRtt);

            MediaSession session = sessions.find(callId).orElseThrow();
            double pbxLeg = waitForRtt(session, false);
            double browserLeg = session.a().rtt().rttMs();
            assertTrue(pbxLeg >= 0 && pbxLeg < HOLD_MILLIS, "RTT toward the PBX, its DLSR subtracted: " + pbxLeg);
            assertTrue(browserLeg >= 0 && browserLeg < HOLD_MILLIS, "RTT toward the browser: " + browserLeg);
            float directionRtt = given().when().get("/v1/sessions/{callId}", callId).then().statusCode(200)
                    .extract().path("directions[0].rttMs");
            assertTrue(directionRtt >= 0, "a direction's RTT covers both legs: " + directionRtt);
        } finally {
            RelayApi.deleteIfPresent(callId);
        }
    }

    /**
     * Waits for the relay's SR, holds it {@link #HOLD_MILLIS}, answers with the peer's SR quoting it, and
     * returns the RTT the relay then reports for the call (bounded wait).
     */
    private double relayMeasuredRtt(TestPeer peer, String callId) throws Exception {
        assertTrue(peer.awaitRelaySenderReport(10_000), "the relay sends SRs to the peer");
        long[] relaySr = peer.lastRelaySr();
        Thread.sleep(HOLD_MILLIS);
        peer.sendReportQuoting(relaySr);
        MediaSession session = sessions.find(callId).orElseThrow();
        return waitForRtt(session, true);
    }

    private static double waitForRtt(MediaSession session, boolean legA) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double rtt = -1;
        while (rtt < 0 && System.nanoTime() < deadline) {
            rtt = (legA ? session.a() : session.b()).rtt().rttMs();
            Thread.sleep(20);
        }
        return rtt;
    }

    /** Two sockets on an even port and the next one (RTP and RTCP of the PBX stand-in). */
    private static DatagramSocket[] evenPortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            DatagramSocket rtp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            int port = rtp.getLocalPort();
            if (port % 2 == 0) {
                try {
                    return new DatagramSocket[] {rtp, new DatagramSocket(port + 1, InetAddress.getLoopbackAddress())};
                } catch (IOException taken) {
                    // try another pair
                }
            }
            rtp.close();
        }
        throw new IOException("no free even/odd port pair");
    }
}
