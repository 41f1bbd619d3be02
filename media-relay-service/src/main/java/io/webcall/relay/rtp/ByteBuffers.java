package io.webcall.relay.rtp;

import java.nio.ByteBuffer;

/**
 * Reusable {@link ByteBuffer} views for sending from a byte array without allocating one per datagram: each
 * thread keeps the view of the array it last sent from (the relay's packet buffers are per thread, so that
 * view is almost always reused).
 */
public final class ByteBuffers {

    private static final ThreadLocal<ByteBuffer[]> VIEW = ThreadLocal.withInitial(() -> new ByteBuffer[1]);

    private ByteBuffers() {
    }

    /** A view of {@code buf[off, off + len)}; valid until this thread's next call. */
    public static ByteBuffer view(byte[] buf, int off, int len) {
        ByteBuffer[] slot = VIEW.get();
        ByteBuffer b = slot[0];
        if (b == null || b.array() != buf) {
            b = ByteBuffer.wrap(buf);
            slot[0] = b;
        }
        b.limit(off + len).position(off);
        return b;
    }
}
