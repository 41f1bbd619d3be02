package io.webcall.relay.dtls;

import org.bouncycastle.tls.SRTPProtectionProfile;

/**
 * The SRTP protection profiles the relay negotiates in the DTLS use_srtp extension (RFC 5764 section
 * 4.1.2, RFC 7714 section 14.2), with their key and salt lengths.
 */
public enum SrtpProfile {
    AEAD_AES_128_GCM(SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, 16, 12),
    AES_CM_128_HMAC_SHA1_80(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, 16, 14);

    private final int id;
    private final int keyLength;
    private final int saltLength;

    SrtpProfile(int id, int keyLength, int saltLength) {
        this.id = id;
        this.keyLength = keyLength;
        this.saltLength = saltLength;
    }

    public int id() { return id; }
    public int keyLength() { return keyLength; }
    public int saltLength() { return saltLength; }

    /** Length of the keying material exported from DTLS (RFC 5764 section 4.2). */
    public int keyingMaterialLength() {
        return 2 * (keyLength + saltLength);
    }

    public static int[] ids() {
        SrtpProfile[] values = values();
        int[] ids = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            ids[i] = values[i].id;
        }
        return ids;
    }

    public static SrtpProfile byId(int id) {
        for (SrtpProfile p : values()) {
            if (p.id == id) {
                return p;
            }
        }
        return null;
    }
}
