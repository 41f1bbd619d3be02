package io.webcall.relay.dtls;

import java.util.Arrays;

/**
 * SRTP master keys derived from a DTLS handshake. The exported block is
 * client key | server key | client salt | server salt (RFC 5764 section 4.2).
 */
public record SrtpKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey,
                       byte[] remoteSalt) {

    public static SrtpKeys fromKeyingMaterial(SrtpProfile profile, byte[] material, boolean isServer) {
        int k = profile.keyLength();
        int s = profile.saltLength();
        byte[] clientKey = Arrays.copyOfRange(material, 0, k);
        byte[] serverKey = Arrays.copyOfRange(material, k, 2 * k);
        byte[] clientSalt = Arrays.copyOfRange(material, 2 * k, 2 * k + s);
        byte[] serverSalt = Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s);
        return isServer
                ? new SrtpKeys(profile, serverKey, serverSalt, clientKey, clientSalt)
                : new SrtpKeys(profile, clientKey, clientSalt, serverKey, serverSalt);
    }
}
