package io.webcall.relay.bench;

import io.webcall.relay.dtls.DtlsIdentity;

/** A media server under load, running as its own process so its CPU and memory can be read from /proc. */
interface BenchTarget extends AutoCloseable {

    String name();

    /** True when calls are plain RTP (no ICE, DTLS or SRTP). */
    boolean plain();

    /** Starts the server; its RTP side sends to the echo on {@code echoPort}. */
    void start(int echoPort) throws Exception;

    long pid();

    /** True when the server is a JVM (its live heap can be read with jcmd). */
    default boolean jvm() {
        return false;
    }

    /** The server's own count of datagrams it dropped so far, by reason, or empty when it has none to give. */
    default String drops() {
        return "";
    }

    /** Sets up call {@code index} for {@code leg} and connects the leg (ICE, DTLS, SRTP or plain). */
    void open(int index, BenchLeg leg, DtlsIdentity identity) throws Exception;

    @Override
    void close();

    /** The answer a PBX at the echo address gives: PCMU over plain RTP. */
    static String pbxSdp(int echoPort) {
        return "v=0\r\no=pbx 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
                + "m=audio " + echoPort + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
    }
}
