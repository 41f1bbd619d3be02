package io.webcall.relay.bench;

import io.webcall.relay.rtp.RtpPackets;
import io.webcall.relay.srtp.PacketBuffer;
import io.webcall.relay.srtp.SrtpResult;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The load tool's single event loop: one thread and one selector over every leg's socket. It answers and
 * sends ICE checks, hands DTLS records to the handshakes, sends 50 packets/s of 160-byte PCMU per leg
 * (spread over the 20 ms period in slots, 1 ms by default) and measures what comes back: count and round trip
 * from the send time carried in the payload, in a 10 us histogram. With 1 ms slots a server receives the
 * packets of N/20 calls back to back every millisecond; shorter slots spread them out more, closer to
 * independent browsers (the loop then waits for the next slot by parking, and reads echoes once per slot).
 */
final class LoadLoop implements AutoCloseable {

    private static final long PERIOD_NANOS = 20_000_000L;
    private final int slotCount;
    private final long slotNanos;
    private static final long CHECK_INTERVAL_NANOS = 50_000_000L;
    private static final int BINS = 100_000;

    private final Selector selector;
    private final Queue<BenchLeg> pending = new ConcurrentLinkedQueue<>();
    private final Queue<BenchLeg> removed = new ConcurrentLinkedQueue<>();
    private final List<List<BenchLeg>> slots = new ArrayList<>();
    private final List<BenchLeg> checking = new ArrayList<>();
    private final Thread thread;
    private final ByteBuffer rx = ByteBuffer.allocate(2048);
    private final byte[] payload = new byte[160];
    /** Reused for every packet sent (the loop is one thread; sends copy). */
    private final byte[] packet = new byte[12 + 160 + PacketBuffer.TRAILER_ROOM];
    private volatile boolean running = true;
    private int nextSlot;

    // measurement window (written by the loop, read after it is over)
    private volatile long windowStart = Long.MAX_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    private volatile long sent;
    private volatile long received;
    private volatile long late;
    private final long[] rttBins = new long[BINS];

    LoadLoop() throws IOException {
        this(1000);
    }

    /** A loop sending in slots of {@code slotMicros} (a divisor of 20,000: 1000 = 1 ms). */
    LoadLoop(int slotMicros) throws IOException {
        if (slotMicros <= 0 || PERIOD_NANOS % (slotMicros * 1000L) != 0) {
            throw new IllegalArgumentException("slot of " + slotMicros + " us does not divide 20 ms");
        }
        slotNanos = slotMicros * 1000L;
        slotCount = (int) (PERIOD_NANOS / slotNanos);
        selector = Selector.open();
        for (int i = 0; i < slotCount; i++) {
            slots.add(new ArrayList<>());
        }
        thread = new Thread(this::run, "bench-load-loop");
        thread.setDaemon(true);
        thread.start();
    }

    void add(BenchLeg leg) {
        pending.add(leg);
        selector.wakeup();
    }

    void remove(BenchLeg leg) {
        removed.add(leg);
        selector.wakeup();
    }

    /** Starts counting: packets sent from now until {@code end} and their echoes. */
    synchronized void startWindow(long startNanos, long endNanos) {
        Arrays.fill(rttBins, 0);
        sent = 0;
        received = 0;
        late = 0;
        windowEnd = endNanos;
        windowStart = startNanos;
    }

    record Window(long sent, long received, double p50Millis, double p99Millis) {
        double lossPercent() {
            return sent == 0 ? 0 : Math.max(0, 100.0 * (sent - received) / sent);
        }
    }

    /** Figures of the last window (call some time after its end, so echoes in flight are in). */
    Window window() {
        windowStart = Long.MAX_VALUE;
        long[] bins = rttBins.clone();
        long total = Arrays.stream(bins).sum();
        return new Window(sent, received, percentile(bins, total, 0.50), percentile(bins, total, 0.99));
    }

    private static double percentile(long[] bins, long total, double p) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * p);
        long seen = 0;
        for (int i = 0; i < bins.length; i++) {
            seen += bins[i];
            if (seen >= rank) {
                return (i + 1) / 100.0;
            }
        }
        return bins.length / 100.0;
    }

    private void run() {
        long nextTick = System.nanoTime();
        while (running) {
            try {
                long now = System.nanoTime();
                long waitMillis = nextTick > now ? Math.max(1, (nextTick - now + 999_999) / 1_000_000) : 0;
                if (waitMillis > 0 && slotNanos >= 1_000_000L) {
                    selector.select(waitMillis);
                } else {
                    if (nextTick > now) {
                        java.util.concurrent.locks.LockSupport.parkNanos(nextTick - now);
                    }
                    selector.selectNow();
                }
                registerPending();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isValid() && key.isReadable()) {
                        readAll((BenchLeg) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
                now = System.nanoTime();
                if (now >= nextTick) {
                    sendSlot(slots.get(nextSlot), now);
                    nextSlot = (nextSlot + 1) % slotCount;
                    nextTick += slotNanos;
                    if (now - nextTick > 100_000_000L) {
                        nextTick = now; // fell far behind: do not burst to catch up
                    }
                    runChecks(now);
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    System.err.println("load loop: " + e);
                }
            }
        }
    }

    private void registerPending() {
        BenchLeg leg;
        int smallest = 0;
        while ((leg = pending.poll()) != null) {
            try {
                leg.channel.register(selector, SelectionKey.OP_READ, leg);
            } catch (ClosedChannelException e) {
                continue;
            }
            for (int i = 1; i < slotCount; i++) {
                if (slots.get(i).size() < slots.get(smallest).size()) {
                    smallest = i;
                }
            }
            slots.get(smallest).add(leg);
            if (!leg.plain) {
                checking.add(leg);
            }
        }
        while ((leg = removed.poll()) != null) {
            for (List<BenchLeg> s : slots) {
                s.remove(leg);
            }
            checking.remove(leg);
            SelectionKey key = leg.channel.keyFor(selector);
            if (key != null) {
                key.cancel();
            }
        }
    }

    private void runChecks(long now) throws IOException {
        for (int i = checking.size() - 1; i >= 0; i--) {
            BenchLeg leg = checking.get(i);
            if (leg.iceDone.isDone()) {
                checking.remove(i);
            } else if (leg.checkTxId != null && now >= leg.nextCheckNanos) {
                leg.nextCheckNanos = now + CHECK_INTERVAL_NANOS;
                leg.send(ByteBuffer.wrap(StunCodec.bindingRequest(leg.checkTxId, leg.remoteUfrag, leg.localUfrag,
                        leg.remotePassword, leg.tieBreaker)));
            }
        }
    }

    private void sendSlot(List<BenchLeg> legs, long now) {
        boolean counting = now >= windowStart && now < windowEnd;
        for (BenchLeg leg : legs) {
            if (!leg.media) {
                continue;
            }
            try {
                byte[] p = packet;
                p[0] = (byte) 0x80;
                p[1] = 0; // PCMU
                int s = leg.seq++;
                p[2] = (byte) (s >> 8);
                p[3] = (byte) s;
                long ts = leg.timestamp;
                leg.timestamp += 160;
                p[4] = (byte) (ts >> 24);
                p[5] = (byte) (ts >> 16);
                p[6] = (byte) (ts >> 8);
                p[7] = (byte) ts;
                RtpPackets.setSsrc(p, 0, leg.ssrc);
                System.arraycopy(payload, 0, p, 12, 160);
                ByteBuffer.wrap(p, 12, 8).putLong(System.nanoTime());
                int len = 12 + 160;
                if (!leg.plain) {
                    PacketBuffer pb = PacketBuffer.incoming(p, 0, len);
                    if (!leg.srtp.protectRtp(pb)) {
                        continue;
                    }
                    len = pb.getLength();
                    p = pb.getBuffer();
                }
                leg.send(ByteBuffer.wrap(p, 0, len));
                if (counting) {
                    sent++;
                }
            } catch (IOException | RuntimeException e) {
                // a failed send shows as loss
            }
        }
    }

    private void readAll(BenchLeg leg) {
        try {
            while (true) {
                rx.clear();
                InetSocketAddress from = (InetSocketAddress) leg.channel.receive(rx);
                if (from == null) {
                    return;
                }
                handle(leg, from, rx.array(), rx.position());
            }
        } catch (IOException e) {
            // closed leg
        }
    }

    private void handle(BenchLeg leg, InetSocketAddress from, byte[] b, int len) throws IOException {
        if (leg.plain) {
            record(b, 12, System.nanoTime());
            return;
        }
        switch (RtpPackets.classify(b, 0, len)) {
            case STUN -> {
                int type = StunCodec.type(b, len);
                if (type == StunCodec.BINDING_REQUEST) {
                    leg.channel.send(ByteBuffer.wrap(StunCodec.bindingSuccess(StunCodec.transactionIdOf(b), from,
                            leg.localPassword)), from);
                } else if (type == StunCodec.BINDING_SUCCESS && leg.checkTxId != null
                        && Arrays.equals(StunCodec.transactionIdOf(b), leg.checkTxId)) {
                    leg.iceDone.complete(null);
                }
            }
            case DTLS -> leg.dtls.offer(b, 0, len);
            case RTP -> {
                var srtp = leg.srtp;
                if (srtp == null) {
                    return;
                }
                PacketBuffer pb = PacketBuffer.incoming(b, 0, len);
                if (srtp.unprotectRtp(pb) == SrtpResult.OK) {
                    int cc = pb.getBuffer()[pb.getOffset()] & 0x0f;
                    record(pb.getBuffer(), pb.getOffset() + 12 + 4 * cc, System.nanoTime());
                }
            }
            default -> {
            }
        }
    }

    private void record(byte[] b, int payloadAt, long now) {
        long sentAt = ByteBuffer.wrap(b, payloadAt, 8).getLong();
        if (sentAt >= windowStart && sentAt < windowEnd) {
            received++;
            long bin = (now - sentAt) / 10_000;
            rttBins[(int) Math.min(BINS - 1, Math.max(0, bin))]++;
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        selector.close();
    }
}
