package io.webcall.account.tenant;

import io.webcall.account.error.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PbxAddressTest {

    @Test
    void defaultPortsFollowRfc3261Section19_1_2() {
        assertEquals(5060, PbxAddress.parse("uri", "sip:pbx.test", "udp").port());
        assertEquals(5061, PbxAddress.parse("uri", "sip:pbx.test", "tls").port());
        assertEquals(5061, PbxAddress.parse("uri", "sips:pbx.test", "tls").port());
        assertEquals(5080, PbxAddress.parse("uri", "sip:pbx.test:5080", "udp").port());
    }

    @Test
    void normalisesSchemeAndHostButKeepsUserAndParameters() {
        PbxAddress address = PbxAddress.parse("uri", "SIP:Trunk@PBX.Example.test:5060;transport=tcp", "tcp");
        assertEquals("sip:Trunk@pbx.example.test:5060;transport=tcp", address.uri());
        assertEquals("pbx.example.test", address.host());
        assertEquals("2001:db8::1", PbxAddress.parse("uri", "sip:[2001:db8::1]:5062", "udp").host());
    }

    @Test
    void sipsNeedsTls() {
        ApiException e = assertThrows(ApiException.class, () -> PbxAddress.parse("pbx.uri", "sips:pbx.test", "udp"));
        assertEquals("pbx.transport", e.field());
    }
}
