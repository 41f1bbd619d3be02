package io.webcall.relay.bench;

import io.webcall.relay.dtls.DtlsClient;
import io.webcall.relay.dtls.DtlsIdentity;
import io.webcall.relay.dtls.DtlsServer;
import io.webcall.relay.dtls.PacketQueueTransport;
import io.webcall.relay.dtls.SrtpKeys;
import io.webcall.relay.sdp.IceCandidate;
import io.webcall.relay.sdp.IceParameters;
import io.webcall.relay.sdp.SdpParser;
import io.webcall.relay.srtp.SrtpSession;
import org.bouncycastle.tls.DTLSClientProtocol;
import org.bouncycastle.tls.DTLSServerProtocol;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One call's WebRTC leg in the load tool: its own loopback UDP socket (read by the shared {@link LoadLoop}),
 * client-side ICE (controlling, aggressive nomination), a DTLS handshake in the role the remote SDP implies
 * and an SRTP session. A plain leg (for the bare forwarder) skips ICE, DTLS and SRTP.
 */
final class BenchLeg {

    private static final String ICE_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    final DatagramChannel channel;
    final boolean plain;
    final int ssrc = ThreadLocalRandom.current().nextInt() | 1;
    final String localUfrag = random(8);
    final String localPassword = random(24);
    final long tieBreaker = ThreadLocalRandom.current().nextLong();
    final CompletableFuture<Void> iceDone = new CompletableFuture<>();
    final PacketQueueTransport dtls;
    volatile InetSocketAddress remote;
    volatile String remoteUfrag;
    volatile String remotePassword;
    volatile byte[] checkTxId;
    volatile SrtpSession srtp;
    volatile boolean media;
    long nextCheckNanos;
    int seq = ThreadLocalRandom.current().nextInt(0xffff);
    long timestamp = ThreadLocalRandom.current().nextInt();

    BenchLeg(boolean plain) throws IOException {
        this.plain = plain;
        channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        channel.configureBlocking(false);
        dtls = new PacketQueueTransport((buf, off, len) -> send(ByteBuffer.wrap(buf, off, len)));
    }

    int localPort() throws IOException {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    void send(ByteBuffer data) throws IOException {
        InetSocketAddress to = remote;
        if (to != null) {
            channel.send(data, to);
        }
    }

    /** A browser-like PCMU offer with one loopback host candidate. */
    String offer(DtlsIdentity identity) throws IOException {
        int port = localPort();
        return "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
                + "m=audio " + port + " UDP/TLS/RTP/SAVPF 0\r\nc=IN IP4 127.0.0.1\r\n"
                + "a=candidate:1 1 udp 2122260223 127.0.0.1 " + port + " typ host\r\n"
                + "a=ice-ufrag:" + localUfrag + "\r\na=ice-pwd:" + localPassword + "\r\n"
                + "a=fingerprint:sha-256 " + identity.fingerprint() + "\r\na=setup:actpass\r\na=mid:0\r\n"
                + "a=sendrecv\r\na=rtcp-mux\r\na=rtpmap:0 PCMU/8000\r\n";
    }

    /** Plain leg: media goes straight to this address. */
    void connectPlain(InetSocketAddress to) {
        remote = to;
        media = true;
    }

    /**
     * Runs ICE toward the remote SDP's first IPv4 candidate (the loop sends the checks), then DTLS in this
     * thread (blocking, setup only) and keys SRTP.
     */
    void connect(String remoteSdp, DtlsIdentity identity, long timeoutMillis) throws Exception {
        IceParameters p = IceParameters.of(SdpParser.parse(remoteSdp));
        IceCandidate c = p.candidates().stream().filter(x -> x.address().indexOf(':') < 0).findFirst()
                .orElseThrow(() -> new IOException("no IPv4 candidate in " + remoteSdp));
        remoteUfrag = p.ufrag();
        remotePassword = p.password();
        checkTxId = StunCodec.transactionId();
        remote = new InetSocketAddress(InetAddress.getByName(c.address()), c.port());
        iceDone.get(timeoutMillis, TimeUnit.MILLISECONDS);
        SrtpKeys keys;
        if (p.setup().equals("active")) {
            DtlsServer server = new DtlsServer(identity, p.fingerprintAlgorithm(), p.fingerprint());
            new DTLSServerProtocol().accept(server, dtls);
            keys = server.keys();
        } else {
            DtlsClient client = new DtlsClient(identity, p.fingerprintAlgorithm(), p.fingerprint());
            new DTLSClientProtocol().connect(client, dtls);
            keys = client.keys();
        }
        srtp = new SrtpSession(keys);
        media = true;
    }

    void close() {
        media = false;
        dtls.close();
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        if (srtp != null) {
            srtp.close();
        }
    }

    private static String random(int n) {
        StringBuilder sb = new StringBuilder(n);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            sb.append(ICE_CHARS.charAt(r.nextInt(ICE_CHARS.length())));
        }
        return sb.toString();
    }
}
