package io.webcall.local;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PbxTrunkTest {

    @Test
    void hostAndPortWithUdpByDefault() {
        assertEquals(new PbxTrunk("sip:127.0.0.1:5080", "udp"), PbxTrunk.parse("sip:127.0.0.1:5080"));
        assertEquals(new PbxTrunk("sip:pbx.example.com:5060", "udp"), PbxTrunk.parse("sip:pbx.example.com"));
    }

    @Test
    void transportParameterAndIpv6Literal() {
        assertEquals(new PbxTrunk("sip:[::1]:5070", "tcp"), PbxTrunk.parse("sip:[::1]:5070;transport=TCP"));
        assertEquals("sip:[::1]:5070;transport=tcp", PbxTrunk.parse("sip:[::1]:5070;transport=tcp").toString());
    }

    @Test
    void otherFormsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> PbxTrunk.parse("127.0.0.1:5060"));
        assertThrows(IllegalArgumentException.class, () -> PbxTrunk.parse("sip:alice@pbx:5060"));
        assertThrows(IllegalArgumentException.class, () -> PbxTrunk.parse("sip:pbx:0"));
        assertThrows(IllegalArgumentException.class, () -> PbxTrunk.parse("sip:pbx:5060;transport=sctp"));
        assertThrows(IllegalArgumentException.class, () -> PbxTrunk.parse(null));
    }
}
