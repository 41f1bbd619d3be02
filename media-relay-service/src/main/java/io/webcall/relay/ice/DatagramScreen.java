package io.webcall.relay.ice;

import io.webcall.relay.stats.DropReason;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Decides, before the ICE stack sees it, whether a datagram that reached the shared WebRTC port may go on.
 * Datagrams are told apart by their first byte (RFC 7983 section 7):
 * <ul>
 *   <li>a STUN Binding request (RFC 8489 section 6) must name a live session in its USERNAME
 *   ({@code localUfrag:remoteUfrag}, RFC 8445 section 7.2.2) and carry a MESSAGE-INTEGRITY keyed with that
 *   session's ICE password (short-term credentials, RFC 8489 sections 9.1 and 14.5); whoever sends it;</li>
 *   <li>anything else must come from an address a session already accepted a valid check from: DTLS from
 *   another address is {@link DropReason#DTLS_UNKNOWN_SOURCE}, the rest {@link DropReason#GARBAGE}.</li>
 * </ul>
 * What comes from a known address and is not STUN goes on to the session, which checks it further
 * (DTLS handshake, SRTP authentication and replay).
 */
public final class DatagramScreen {

    private static final int HEADER = 20;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int BINDING_REQUEST = 0x0001;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int HMAC_SHA1_LENGTH = 20;

    private final Function<String, String> passwordOfUfrag;
    private final Predicate<SocketAddress> knownSource;

    /**
     * @param passwordOfUfrag the local ICE password of the live session with this local ufrag, or null
     * @param knownSource whether a session already accepted a valid connectivity check from this address
     */
    public DatagramScreen(Function<String, String> passwordOfUfrag, Predicate<SocketAddress> knownSource) {
        this.passwordOfUfrag = passwordOfUfrag;
        this.knownSource = knownSource;
    }

    /** Null when the datagram may go on to the ICE stack, else why it is dropped. */
    public DropReason check(byte[] b, int off, int len, SocketAddress source) {
        if (len >= HEADER && (b[off] & 0xc0) == 0 && readInt(b, off + 4) == MAGIC_COOKIE) {
            int type = readShort(b, off);
            if (type == BINDING_REQUEST) {
                return checkBindingRequest(b, off, len);
            }
            // responses and indications belong to a transaction or pair of a known address
            return knownSource.test(source) ? null : DropReason.GARBAGE;
        }
        if (knownSource.test(source)) {
            return null;
        }
        int first = len > 0 ? b[off] & 0xff : -1;
        return first >= 20 && first <= 63 ? DropReason.DTLS_UNKNOWN_SOURCE : DropReason.GARBAGE;
    }

    private DropReason checkBindingRequest(byte[] b, int off, int len) {
        int bodyLength = readShort(b, off + 2);
        if (bodyLength % 4 != 0 || HEADER + bodyLength > len) {
            return DropReason.GARBAGE;
        }
        String username = null;
        int integrityAt = -1;
        int at = off + HEADER;
        int end = off + HEADER + bodyLength;
        while (at + 4 <= end) {
            int attrType = readShort(b, at);
            int attrLength = readShort(b, at + 2);
            if (at + 4 + attrLength > end) {
                return DropReason.GARBAGE;
            }
            if (attrType == USERNAME) {
                username = new String(b, at + 4, attrLength, StandardCharsets.UTF_8);
            } else if (attrType == MESSAGE_INTEGRITY) {
                if (attrLength != HMAC_SHA1_LENGTH) {
                    return DropReason.STUN_BAD_CREDENTIALS;
                }
                integrityAt = at;
                break;  // attributes after MESSAGE-INTEGRITY (FINGERPRINT) are not covered by it
            }
            at += 4 + ((attrLength + 3) & ~3);
        }
        if (username == null) {
            return DropReason.STUN_BAD_CREDENTIALS;
        }
        int colon = username.indexOf(':');
        String password = passwordOfUfrag.apply(colon < 0 ? username : username.substring(0, colon));
        if (password == null) {
            return DropReason.STUN_UNKNOWN_UFRAG;
        }
        if (integrityAt < 0 || !integrityMatches(b, off, integrityAt, password)) {
            return DropReason.STUN_BAD_CREDENTIALS;
        }
        return null;
    }

    /**
     * RFC 8489 section 14.5: HMAC-SHA1 keyed with the password over the message up to MESSAGE-INTEGRITY,
     * with the header's length set as if MESSAGE-INTEGRITY were the last attribute.
     */
    private static boolean integrityMatches(byte[] b, int off, int integrityAt, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            int coveredLength = integrityAt - off - HEADER + 4 + HMAC_SHA1_LENGTH;
            mac.update(b, off, 2);
            mac.update(new byte[] {(byte) (coveredLength >> 8), (byte) coveredLength});
            mac.update(b, off + 4, integrityAt - off - 4);
            byte[] expected = mac.doFinal();
            byte[] actual = new byte[HMAC_SHA1_LENGTH];
            System.arraycopy(b, integrityAt + 4, actual, 0, HMAC_SHA1_LENGTH);
            return MessageDigest.isEqual(expected, actual);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static int readShort(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    private static int readInt(byte[] b, int at) {
        return ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
    }
}
