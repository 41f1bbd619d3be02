package io.webcall.local;

/**
 * Every port of the local stack. A value of 0 means "pick a free port at start" (the RTP range:
 * {@code rtpMin = 0} picks a free block of {@link #FREE_RTP_RANGE_SIZE} ports).
 *
 * @param postgres      embedded PostgreSQL (TCP)
 * @param kafka         embedded Kafka broker, client listener (TCP)
 * @param edgeHttp      signaling edge: softphone page and SIP over WebSocket {@code /sip} (TCP)
 * @param edgeWss       signaling edge: SIP over secure WebSocket (TCP, self-signed)
 * @param sip           signaling edge: SIP toward PBXes (UDP and TCP)
 * @param account       account service REST API (TCP)
 * @param relayControl  media relay control API (TCP)
 * @param relayWebRtc   media relay: the single UDP port for ICE/DTLS-SRTP toward browsers
 * @param rtpMin        media relay: first UDP port toward PBXes
 * @param rtpMax        media relay: last UDP port toward PBXes
 */
public record Ports(int postgres, int kafka, int edgeHttp, int edgeWss, int sip, int account,
                    int relayControl, int relayWebRtc, int rtpMin, int rtpMax) {

    /** Size of the RTP port block picked when {@code rtpMin} is 0. */
    public static final int FREE_RTP_RANGE_SIZE = 100;

    // positions in values(), in the order of the record components
    private static final int POSTGRES = 0;
    private static final int KAFKA = 1;
    private static final int EDGE_HTTP = 2;
    private static final int EDGE_WSS = 3;
    private static final int SIP = 4;
    private static final int ACCOUNT = 5;
    private static final int RELAY_CONTROL = 6;
    private static final int RELAY_WEBRTC = 7;
    private static final int RTP_MIN = 8;
    private static final int RTP_MAX = 9;

    public Ports {
        for (int port : new int[] {postgres, kafka, edgeHttp, edgeWss, sip, account, relayControl, relayWebRtc, rtpMin, rtpMax}) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range 0-65535: " + port);
            }
        }
        if (rtpMin != 0 && rtpMax < rtpMin) {
            throw new IllegalArgumentException("RTP port range is empty: " + rtpMin + "-" + rtpMax);
        }
    }

    /** The documented local-stack ports (see the README). */
    public static Ports defaults() {
        return new Ports(5432, 9092, 8080, 8443, 5060, 8081, 8082, 10000, 20000, 20999);
    }

    /** Every port picked free at start: for tests and for running next to another stack. */
    public static Ports free() {
        return new Ports(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public Ports withPostgres(int port) {
        return with(POSTGRES, port);
    }

    public Ports withKafka(int port) {
        return with(KAFKA, port);
    }

    public Ports withEdgeHttp(int port) {
        return with(EDGE_HTTP, port);
    }

    public Ports withEdgeWss(int port) {
        return with(EDGE_WSS, port);
    }

    public Ports withSip(int port) {
        return with(SIP, port);
    }

    public Ports withAccount(int port) {
        return with(ACCOUNT, port);
    }

    public Ports withRelayControl(int port) {
        return with(RELAY_CONTROL, port);
    }

    public Ports withRelayWebRtc(int port) {
        return with(RELAY_WEBRTC, port);
    }

    public Ports withRtpRange(int min, int max) {
        int[] values = values();
        values[RTP_MIN] = min;
        values[RTP_MAX] = max;
        return of(values);
    }

    /** A copy with one port changed. */
    private Ports with(int position, int port) {
        int[] values = values();
        values[position] = port;
        return of(values);
    }

    private int[] values() {
        return new int[] {postgres, kafka, edgeHttp, edgeWss, sip, account, relayControl, relayWebRtc, rtpMin, rtpMax};
    }

    private static Ports of(int[] v) {
        return new Ports(v[POSTGRES], v[KAFKA], v[EDGE_HTTP], v[EDGE_WSS], v[SIP], v[ACCOUNT], v[RELAY_CONTROL],
                v[RELAY_WEBRTC], v[RTP_MIN], v[RTP_MAX]);
    }
}
