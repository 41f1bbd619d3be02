package io.webcall.relay.bench;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;

/**
 * The few STUN messages a controlling ICE agent needs (RFC 8445 section 7.2.2, RFC 5389 section 15):
 * Binding requests with USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MESSAGE-INTEGRITY and
 * FINGERPRINT, and Binding success responses with XOR-MAPPED-ADDRESS for the other side's checks.
 */
final class StunCodec {

    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    private static final int MAGIC = 0x2112A442;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int PRIORITY = 0x0024;
    private static final int USE_CANDIDATE = 0x0025;
    private static final int FINGERPRINT = 0x8028;
    private static final int ICE_CONTROLLING = 0x802A;

    private StunCodec() {
    }

    static byte[] transactionId() {
        byte[] id = new byte[12];
        ThreadLocalRandom.current().nextBytes(id);
        return id;
    }

    /** A nominating check (aggressive nomination) from the controlling agent. */
    static byte[] bindingRequest(byte[] txId, String remoteUfrag, String localUfrag, String remotePassword,
                                 long tieBreaker) {
        ByteBuffer b = ByteBuffer.allocate(256);
        header(b, BINDING_REQUEST, txId);
        byte[] user = (remoteUfrag + ":" + localUfrag).getBytes(StandardCharsets.UTF_8);
        attribute(b, USERNAME, user);
        attribute(b, PRIORITY, ByteBuffer.allocate(4).putInt(0x6E7F1EFF).array());
        attribute(b, ICE_CONTROLLING, ByteBuffer.allocate(8).putLong(tieBreaker).array());
        attribute(b, USE_CANDIDATE, new byte[0]);
        return finish(b, remotePassword);
    }

    /** A success response to the other side's check, keyed with our own password. */
    static byte[] bindingSuccess(byte[] txId, InetSocketAddress mapped, String localPassword) {
        ByteBuffer b = ByteBuffer.allocate(128);
        header(b, BINDING_SUCCESS, txId);
        byte[] addr = mapped.getAddress().getAddress();
        ByteBuffer x = ByteBuffer.allocate(8);
        x.put((byte) 0).put((byte) 1).putShort((short) (mapped.getPort() ^ (MAGIC >>> 16)));
        int ip = ByteBuffer.wrap(addr).getInt();
        x.putInt(ip ^ MAGIC);
        attribute(b, XOR_MAPPED_ADDRESS, x.array());
        return finish(b, localPassword);
    }

    static int type(byte[] m, int len) {
        return len < 20 ? -1 : ((m[0] & 0xff) << 8) | (m[1] & 0xff);
    }

    static byte[] transactionIdOf(byte[] m) {
        return Arrays.copyOfRange(m, 8, 20);
    }

    private static void header(ByteBuffer b, int type, byte[] txId) {
        b.putShort((short) type).putShort((short) 0).putInt(MAGIC).put(txId);
    }

    private static void attribute(ByteBuffer b, int type, byte[] value) {
        b.putShort((short) type).putShort((short) value.length).put(value);
        while (b.position() % 4 != 0) {
            b.put((byte) 0);
        }
    }

    /** Appends MESSAGE-INTEGRITY (RFC 5389 section 15.4) and FINGERPRINT (section 15.5). */
    private static byte[] finish(ByteBuffer b, String password) {
        try {
            int miAt = b.position();
            b.putShort(2, (short) (miAt - 20 + 24));
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            mac.update(b.array(), 0, miAt);
            attribute(b, MESSAGE_INTEGRITY, mac.doFinal());
            int fpAt = b.position();
            b.putShort(2, (short) (fpAt - 20 + 8));
            CRC32 crc = new CRC32();
            crc.update(b.array(), 0, fpAt);
            attribute(b, FINGERPRINT, ByteBuffer.allocate(4).putInt((int) crc.getValue() ^ 0x5354554e).array());
            return Arrays.copyOf(b.array(), b.position());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
