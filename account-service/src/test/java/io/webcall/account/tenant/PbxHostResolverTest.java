package io.webcall.account.tenant;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PbxHostResolverTest {

    @Test
    void ipLiteralsAreReadWithoutLookingAnythingUp() throws Exception {
        assertArrayEquals(new byte[] {10, 0, 0, 5}, PbxHostResolver.literal("10.0.0.5").getAddress());
        assertArrayEquals(InetAddress.getByName("2001:db8::1").getAddress(), PbxHostResolver.literal("[2001:db8::1]").getAddress());
        assertArrayEquals(InetAddress.getByName("2001:db8::1").getAddress(), PbxHostResolver.literal("2001:db8::1").getAddress());
    }

    @Test
    void hostNamesAreNotLiterals() {
        assertNull(PbxHostResolver.literal("pbx.example.com"));
        assertNull(PbxHostResolver.literal("localhost"));
        assertNull(PbxHostResolver.literal("10.0.0.5.example.com"));
        assertNull(PbxHostResolver.literal("[not-an-address]"));
    }
}
