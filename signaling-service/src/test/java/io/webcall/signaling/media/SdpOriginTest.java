package io.webcall.signaling.media;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SdpOriginTest {

    static String sdp(String origin, int port) {
        return "v=0\r\n" + origin + "\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio " + port + " RTP/AVP 0\r\n";
    }

    @Test
    void sameOriginLineIsARepeatEvenWithOtherSpacing() {
        assertTrue(SdpOrigin.sameVersion(sdp("o=pbx 5365 2 IN IP4 127.0.0.1", 4000), sdp("o=pbx  5365 2 IN IP4 127.0.0.1 ", 4000)));
    }

    @Test
    void higherSessionVersionIsANewDescription() {
        assertFalse(SdpOrigin.sameVersion(sdp("o=pbx 5365 1 IN IP4 127.0.0.1", 4000), sdp("o=pbx 5365 2 IN IP4 127.0.0.1", 4002)));
    }

    @Test
    void otherSessionIdIsANewDescription() {
        assertFalse(SdpOrigin.sameVersion(sdp("o=pbx 5365 1 IN IP4 127.0.0.1", 4000), sdp("o=pbx 9999 1 IN IP4 127.0.0.1", 4000)));
    }

    @Test
    void withoutOriginLineNothingCountsAsARepeat() {
        assertNull(SdpOrigin.of("v=0\r\ns=-\r\n"));
        assertFalse(SdpOrigin.sameVersion("v=0\r\ns=-\r\n", "v=0\r\ns=-\r\n"));
        assertEquals("a 1 2 IN IP4 h", SdpOrigin.of("o=a 1 2 IN IP4 h\ns=-\n"));
    }
}
