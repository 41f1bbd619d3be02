package io.webcall.relay.srtp;

import org.jitsi.utils.ByteArrayBuffer;

/**
 * A packet in a byte array with room to grow (SRTP adds an authentication tag, RFC 3711 section 3.1).
 */
public final class PacketBuffer implements ByteArrayBuffer {

    /** Room for the largest SRTP/SRTCP trailer the relay produces (index + tag). */
    public static final int TRAILER_ROOM = 32;

    private byte[] buffer;
    private int offset;
    private int length;

    public PacketBuffer(byte[] buffer, int offset, int length) {
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /** A copy of {@code len} bytes with room for an SRTP trailer. */
    public static PacketBuffer copyOf(byte[] src, int off, int len) {
        byte[] copy = new byte[len + TRAILER_ROOM];
        System.arraycopy(src, off, copy, 0, len);
        return new PacketBuffer(copy, 0, len);
    }

    /** Largest datagram the relay handles (an Ethernet MTU's worth, the receive limit of its sockets). */
    public static final int MAX_PACKET = 1500;

    private static final ThreadLocal<PacketBuffer> OUTGOING =
            ThreadLocal.withInitial(() -> new PacketBuffer(new byte[MAX_PACKET + TRAILER_ROOM], 0, 0));
    private static final ThreadLocal<PacketBuffer> INCOMING =
            ThreadLocal.withInitial(() -> new PacketBuffer(null, 0, 0));

    /**
     * This thread's reusable buffer holding a copy of {@code len} bytes with room for an SRTP trailer: what
     * {@link #copyOf} gives, without an allocation per packet. Valid until the thread's next call; packets
     * longer than {@link #MAX_PACKET} get a fresh copy.
     */
    public static PacketBuffer outgoing(byte[] src, int off, int len) {
        if (len > MAX_PACKET) {
            return copyOf(src, off, len);
        }
        PacketBuffer p = OUTGOING.get();
        if (p.buffer.length < len + TRAILER_ROOM) {
            p.buffer = new byte[MAX_PACKET + TRAILER_ROOM];
        }
        System.arraycopy(src, off, p.buffer, 0, len);
        p.offset = 0;
        p.length = len;
        return p;
    }

    /** This thread's reusable view of a received packet (unprotected in place). Valid until its next call. */
    public static PacketBuffer incoming(byte[] buf, int off, int len) {
        PacketBuffer p = INCOMING.get();
        p.buffer = buf;
        p.offset = off;
        p.length = len;
        return p;
    }

    @Override public byte[] getBuffer() { return buffer; }
    @Override public int getOffset() { return offset; }
    @Override public int getLength() { return length; }
    @Override public void setLength(int len) { this.length = len; }
    @Override public void setOffset(int off) { this.offset = off; }
    @Override public boolean isInvalid() { return false; }

    @Override
    public void readRegionToBuff(int off, int len, byte[] outBuff) {
        System.arraycopy(buffer, offset + off, outBuff, 0, len);
    }

    @Override
    public void grow(int howMuch) {
        if (offset + length + howMuch > buffer.length) {
            byte[] bigger = new byte[length + howMuch];
            System.arraycopy(buffer, offset, bigger, 0, length);
            buffer = bigger;
            offset = 0;
        }
    }

    @Override
    public void append(byte[] data, int len) {
        grow(len);
        System.arraycopy(data, 0, buffer, offset + length, len);
        length += len;
    }

    @Override
    public void shrink(int len) {
        length = Math.max(0, length - len);
    }
}
