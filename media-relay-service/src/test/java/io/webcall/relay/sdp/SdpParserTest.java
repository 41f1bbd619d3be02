package io.webcall.relay.sdp;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpParserTest {

    private static final String CHROME_OFFER = """
            v=0
            o=- 4611731400430051336 2 IN IP4 127.0.0.1
            s=-
            t=0 0
            a=group:BUNDLE 0
            a=msid-semantic: WMS
            m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126
            c=IN IP4 0.0.0.0
            a=rtcp:9 IN IP4 0.0.0.0
            a=candidate:3442447574 1 udp 2122260223 4f1b4a3e-4f31-4f0e-9d8e-1b1a2f3c4d5e.local 54400 typ host generation 0
            a=ice-ufrag:EsAw
            a=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y
            a=fingerprint:sha-256 DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF:95:60:18:90:AF:D8:07:09:DA:39:A3:EE:5E:6B:4B:0D:32:55:BF:EF
            a=setup:actpass
            a=mid:0
            a=sendrecv
            a=rtcp-mux
            a=rtpmap:111 opus/48000/2
            a=rtcp-fb:111 transport-cc
            a=fmtp:111 minptime=10;useinbandfec=1
            a=rtpmap:63 red/48000/2
            a=rtpmap:9 G722/8000
            a=rtpmap:0 PCMU/8000
            a=rtpmap:8 PCMA/8000
            a=rtpmap:13 CN/8000
            a=rtpmap:110 telephone-event/48000
            a=rtpmap:126 telephone-event/8000
            """;

    @Test
    void readsAChromeOfferWithIceDtlsAndCodecs() {
        SessionDescription sdp = SdpParser.parse(CHROME_OFFER);
        MediaDescription audio = sdp.audio();
        assertTrue(audio.isDtlsSrtp());
        IceParameters ice = IceParameters.of(sdp);
        assertEquals("EsAw", ice.ufrag());
        assertEquals("sha-256", ice.fingerprintAlgorithm());
        assertEquals("actpass", ice.setup());
        assertTrue(ice.candidates().get(0).isMdns(), "mDNS candidates are recognised");
        List<Codec> kept = Codecs.supported(Codecs.of(audio));
        assertEquals(List.of(111, 0, 8, 110, 126), kept.stream().map(Codec::payloadType).toList(),
                "Opus, G.711 and telephone-event at a kept clock rate pass; red, G722, CN do not");
        assertEquals("minptime=10;useinbandfec=1", kept.get(0).fmtp());
    }

    @Test
    void staticPayloadTypesNeedNoRtpmap() {
        SessionDescription sdp = SdpParser.parse("v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 8 0\r\n");
        assertEquals(List.of("PCMA", "PCMU"), Codecs.of(sdp.audio()).stream().map(Codec::name).toList());
        assertEquals("10.0.0.1", sdp.audioConnectionAddress());
    }

    @Test
    void rejectsWhatTheRelayCannotUse() {
        assertThrows(SdpParseException.class, () -> SdpParser.parse(""));
        assertThrows(SdpParseException.class, () -> SdpParser.parse("hello"));
        assertThrows(SdpParseException.class, () -> SdpParser.parse("v=0\r\nc=IN IP4 1.2.3.4\r\n"));
        assertThrows(SdpParseException.class, () -> SdpParser.parse("v=0\r\nm=audio xx RTP/AVP 0\r\n"));
        assertThrows(SdpParseException.class, () -> SdpParser.parse("v=0\r\nm=audio 70000 RTP/AVP 0\r\n"));
        assertThrows(SdpParseException.class, () -> SdpParser.parse("v=0\r\nbogus\r\n"));
        assertThrows(SdpParseException.class, () -> SdpParser.parse("v=0\r\nm=video 5000 RTP/AVP 96\r\n").audio());
    }

    @Test
    void answerCodecsCarryTheOfferersPayloadTypes() {
        List<Codec> offered = List.of(new Codec(111, "opus", 48000, 2, null), new Codec(0, "PCMU", 8000, 1, null),
                new Codec(101, "telephone-event", 8000, 1, "0-15"));
        List<Codec> answered = List.of(new Codec(0, "PCMU", 8000, 1, null),
                new Codec(96, "telephone-event", 8000, 1, "0-16"));
        List<Codec> forOfferer = Codecs.answerForOfferer(offered, answered);
        assertEquals(List.of(0, 101), forOfferer.stream().map(Codec::payloadType).toList());
        assertEquals("0-16", forOfferer.get(1).fmtp());
    }

    @Test
    void writtenWebRtcSdpHasBundleMidRtcpMuxAndTheAdvertisedCandidate() {
        String sdp = SdpWriter.webrtc(new SdpWriter.Origin(7, 2), new SdpWriter.WebRtcTransport("uf", "pw",
                "AA:BB", "passive", "0", "203.0.113.5", 10000), List.of(new Codec(0, "PCMU", 8000, 1, null)),
                Direction.SENDONLY, "20");
        SessionDescription parsed = SdpParser.parse(sdp);
        assertEquals("0", parsed.attribute("group").orElseThrow().replace("BUNDLE ", ""));
        assertEquals("0", parsed.audio().attribute("mid").orElseThrow());
        assertTrue(parsed.audio().hasAttribute("rtcp-mux"));
        assertEquals(Direction.SENDONLY, Direction.of(parsed.audio()));
        IceCandidate candidate = IceParameters.of(parsed).candidates().get(0);
        assertEquals("203.0.113.5", candidate.address());
        assertEquals(10000, candidate.port());
        assertTrue(sdp.contains("a=fingerprint:sha-256 AA:BB\r\n"));
    }
}
