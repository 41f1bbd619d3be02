package io.webcall.relay.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Media relay configuration ({@code webcall.relay.*}): where the relay listens, what it advertises in
 * SDP, the RTP port range toward PBXes, and the timeouts that free sessions.
 */
@ConfigMapping(prefix = "webcall.relay")
public interface RelayConfig {

    /** Local address every media socket binds to. Loopback unless deliberately configured. */
    @WithDefault("127.0.0.1")
    String bindAddress();

    /** Address written into SDP ({@code c=} lines and ICE candidates): the relay's public address. */
    @WithDefault("127.0.0.1")
    String advertisedAddress();

    /** WebRTC (ICE/DTLS-SRTP) side. */
    Webrtc webrtc();

    /** Plain RTP side toward PBXes. */
    Rtp rtp();

    /** Timeouts. */
    Timeouts timeouts();

    /** Media quality statistics. */
    Stats stats();

    /** WebRTC side settings. */
    interface Webrtc {
        /** The single UDP port shared by all ICE sessions (0 = an ephemeral port). */
        @WithDefault("10000")
        int port();

        /** Whether the relay sends consent freshness checks (RFC 7675) on the selected pair. */
        @WithDefault("true")
        boolean consentFreshness();

        /**
         * SO_RCVBUF of the shared port, in bytes. Every browser's packets queue in this one socket, so it
         * must absorb a scheduling stall of the relay at full load (200 calls send 10,000 datagrams/s; the
         * kernel's default 208 KiB holds about 20 ms of them). The kernel caps it at
         * {@code net.core.rmem_max}; memory is only used while datagrams wait.
         */
        @WithDefault("8388608")
        int receiveBufferSize();

        /**
         * Whether the shared port has its own loop thread (true) or is read by the RTP side's loop (false).
         * Two loops let two cores relay; one loop wakes up less often and switches threads less per packet.
         */
        @WithDefault("true")
        boolean ownLoopThread();
    }

    /** RTP side settings. */
    interface Rtp {
        /** First port of the RTP range (an RTP port is even, its RTCP port is the next odd one). */
        @WithDefault("20000")
        int portMin();

        /** Last port of the RTP range. */
        @WithDefault("20999")
        int portMax();
    }

    /** Session timeouts. */
    interface Timeouts {
        /** No packet received from any leg of an established session for this long: a no-media event. */
        @WithDefault("30s")
        Duration noMedia();

        /** A session with no media and no signaling for this long is freed. */
        @WithDefault("2h")
        Duration idleSession();

        /**
         * How long a session whose media failed (e.g. DTLS fingerprint mismatch) is still reported by
         * {@code GET /v1/sessions/{callId}}; its media resources are freed as soon as it fails.
         */
        @WithDefault("5m")
        Duration failedSessionRetention();

        /** How often sessions are checked for the timeouts above. */
        @WithDefault("1s")
        Duration sweepInterval();
    }

    /** Statistics publishing. */
    interface Stats {
        /** Whether per-call media statistics are published to Kafka. */
        @WithDefault("true")
        boolean publish();

        /**
         * Kafka topic of the relay's media alarms ({@code no-media}, {@code failed}) that the signaling
         * edge can act on; key = Call-ID. Statistics themselves go to {@code media-stats}.
         */
        @WithDefault("media-events")
        String eventsTopic();

        /** Period of the intermediate statistics messages of a running call. */
        @WithDefault("10s")
        Duration interval();

        /**
         * Period of the relay's own RTCP reports (RFC 3550 section 6.4) toward an endpoint nobody else
         * reports to: in echo mode, or when the other side of a bridge sends no RTCP. They give both the
         * endpoint and the relay a round-trip time.
         */
        @WithDefault("5s")
        Duration rtcpInterval();
    }
}
