package io.webcall.signaling;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Configuration of the signaling edge: SIP listeners, limits, authentication, routing and media anchoring.
 * Every key lives under {@code webcall.edge.*} and has a default suitable for the local stack.
 */
@ConfigMapping(prefix = "webcall.edge")
public interface EdgeConfig {

    /** SIP listeners for UDP and TCP (toward PBXes) and the WebSocket endpoint for browsers. */
    Sip sip();

    /** Protective limits applied to every transport. */
    Limits limits();

    /** Authentication of browsers (bearer JWT and digest). */
    Auth auth();

    /** Where the account service lives and how long its answers are cached. */
    Account account();

    /** Media anchoring through the relay control API. */
    Media media();

    /** Call behaviour: session timers and grace period after a browser connection drops. */
    Calls calls();

    /** Publication of bindings and call events to Kafka. */
    Kafka kafka();

    /** SIP listener settings. */
    interface Sip {
        /** Address the UDP and TCP SIP listeners bind to. */
        @WithDefault("127.0.0.1")
        String host();

        /** Port for SIP over UDP and TCP; 0 picks a free port (tests). */
        @WithDefault("5060")
        int port();

        /** Address written into Via and Record-Route headers; defaults to the bind host. */
        Optional<String> advertisedHost();

        /**
         * Address other edge instances reach this one at (written into the registration bindings it publishes);
         * defaults to the advertised host. Set it to the instance's own address (e.g. the pod IP) when the
         * advertised host is a shared public name in front of several edges.
         */
        Optional<String> peerHost();

        /**
         * DNS servers ({@code host} or {@code host:port}) asked for the SRV and address records of PBX trunks given by a
         * domain without a port (RFC 3263 section 4.2); when absent, the system's resolver configuration.
         */
        Optional<List<String>> dnsServers();

        /** How long one DNS query for a trunk may take. */
        @WithDefault("3s")
        Duration dnsTimeout();

        /** Whether the UDP listener is started. */
        @WithDefault("true")
        boolean udp();

        /** Whether the TCP listener is started. */
        @WithDefault("true")
        boolean tcp();

        /** HTTP path of the SIP over WebSocket endpoint (RFC 7118). */
        @WithDefault("/sip")
        String wsPath();

        /** Allowed values of the WebSocket Origin header; empty allows every origin. */
        @WithDefault("*")
        List<String> allowedOrigins();

        /** Interval of WebSocket pings used to detect dead browser connections. */
        @WithDefault("25s")
        Duration wsPingInterval();

        /** Time without any traffic after which a WebSocket or TCP connection is closed. */
        @WithDefault("90s")
        Duration idleTimeout();

        /** SIP over TLS toward PBX trunks with transport {@code tls}, and the optional TLS listener for PBXes. */
        Tls tls();
    }

    /**
     * SIP over TLS (RFC 3261 section 26.2, RFC 5922 section 7): outgoing connections to PBX trunks whose transport is
     * {@code tls} (or whose URI is {@code sips:}) verify the PBX's certificate against the trusted certificates (the
     * JDK's trust store when none are configured) and its host, send the trunk host as SNI, and are reused per
     * destination. The listener for requests from PBXes over TLS is off by default and has its own port.
     */
    interface Tls {
        /**
         * PEM files of the CA (or self-signed server) certificates trusted for connections to PBXes; when absent the
         * JDK's default trust store is used.
         */
        Optional<List<String>> trustCertificates();

        /**
         * Whether the PBX's certificate must name the host the edge connects to (subjectAltName DNS or IP, RFC 5922
         * section 7.2). Turning it off still verifies the certificate chain.
         */
        @WithDefault("true")
        boolean verifyHost();

        /** Time a TLS handshake toward a PBX may take before the connection attempt fails. */
        @WithDefault("10s")
        Duration handshakeTimeout();

        /**
         * Whether the TLS listener for SIP requests from PBXes runs (needs {@code certificate} and {@code key}). When
         * it does, requests sent over TLS are Record-Routed with {@code transport=tls} and its port, so in-dialog
         * requests from a TLS trunk come back over TLS; without it they name the TCP listener.
         */
        @WithDefault("false")
        boolean listen();

        /** Port of the TLS listener (binds {@code webcall.edge.sip.host}); 0 picks a free port (tests). */
        @WithDefault("5061")
        int port();

        /**
         * PEM certificate chain the TLS listener presents; the edge also presents it as its client certificate to PBXes
         * that ask for one on connections it opens (mutual TLS trunks, RFC 5922 section 7.3).
         */
        Optional<String> certificate();

        /** PEM private key of {@code certificate}. */
        Optional<String> key();

        /**
         * Client certificates on the TLS listener (RFC 5922 section 7.3): {@code none}, {@code request} (checked when
         * presented) or {@code required} (a PBX without a certificate that chains to {@code trust-certificates}, or the
         * JDK's trust store when none are set, cannot connect).
         */
        @WithDefault("none")
        ClientAuth clientAuth();

        /** Whether PBXes connecting to the TLS listener must prove who they are with a certificate. */
        enum ClientAuth { NONE, REQUEST, REQUIRED }
    }

    /** Limits that keep one source from exhausting the edge. */
    interface Limits {
        /** Largest accepted SIP message in bytes; larger ones get 513 Message Too Large. */
        @WithDefault("65535")
        int maxMessageBytes();

        /** Maximum simultaneous WebSocket/TCP connections from one source address. */
        @WithDefault("200")
        int maxConnectionsPerSource();

        /** Sustained requests per second allowed on one connection (UDP: per source address). */
        @WithDefault("50")
        int requestsPerSecond();

        /** Burst of requests allowed above the sustained rate. */
        @WithDefault("100")
        int requestBurst();
    }

    /** Authentication settings. */
    interface Auth {
        /** Expected {@code iss} claim of access tokens. */
        @WithDefault("webcall-account")
        String issuer();

        /** How long fetched JWKS keys are used before they are fetched again. */
        @WithDefault("10m")
        Duration jwksCacheTtl();

        /** Clock difference to the account service tolerated when checking a token's {@code exp} and {@code nbf}. */
        @WithDefault("30s")
        Duration clockSkew();

        /**
         * Most verified access tokens remembered (until their expiry, while their signing key is still published), so
         * a registration refresh with the same token needs no signature check; 0 verifies every time.
         */
        @WithDefault("100000")
        int tokenCacheSize();

        /** Lifetime of digest nonces (RFC 7616 section 3.3). */
        @WithDefault("300s")
        Duration nonceTtl();

        /** Failed authentications from one source address after which it is throttled. */
        @WithDefault("10")
        int maxFailures();

        /** Window over which failures are counted and for which a throttled source is refused. */
        @WithDefault("60s")
        Duration failureWindow();

        /**
         * Whether the SHA-256 digest challenge is listed before the MD5 one. JsSIP and SIP.js answer only the first
         * challenge and only know MD5, so the default lists MD5 first; both are always offered (RFC 7616 section 3.7).
         */
        @WithDefault("false")
        boolean preferSha256();

        /** Whether INVITE and other out-of-dialog requests must be authenticated (REGISTER always is). */
        @WithDefault("true")
        boolean authenticateRequests();
    }

    /** Account service access. */
    interface Account {
        /** Base URL of the account service. */
        @WithDefault("http://127.0.0.1:8081")
        String url();

        /** Time cached tenant and credential lookups stay valid. */
        @WithDefault("30s")
        Duration cacheTtl();

        /**
         * Time the account service has to answer one request once it is sent; waiting for a free pooled connection is
         * bounded separately (three times this, at least 10 s).
         */
        @WithDefault("3s")
        Duration timeout();

        /** Most HTTP connections kept open to the account service (lookups of many new users run in parallel). */
        @WithDefault("32")
        int maxConnections();

        /** Most cached tenant and credential answers; expired ones are dropped first when it is reached. */
        @WithDefault("200000")
        int cacheSize();
    }

    /** Media relay settings. */
    interface Media {
        /** When false, SDP passes through unchanged (pure signaling deployments and tests). */
        @WithDefault("true")
        boolean anchor();

        /**
         * Base URLs of the relays' control APIs, comma-separated. With several, each call's first offer picks one by
         * rendezvous hashing of its Call-ID (a relay refusing connections is skipped) and the call stays on it.
         */
        @WithDefault("http://127.0.0.1:8082")
        List<String> relayUrl();

        /** How long new calls skip a relay that refused a connection before it is tried again. */
        @WithDefault("5s")
        Duration relayRetryAfter();

        /**
         * How long the edge remembers the relay of a call that sends no request to it (its end went unnoticed); a call
         * the edge does not remember uses its first-ranked relay.
         */
        @WithDefault("6h")
        Duration relayForgetAfter();

        /** Timeout of one relay control request. */
        @WithDefault("5s")
        Duration timeout();

        /**
         * Most HTTP connections kept open to the relay, one request at a time on each (every call setup waits for an
         * offer and an answer; with fewer connections than calls being set up at once, requests queue in the edge).
         */
        @WithDefault("32")
        int maxConnections();

        /**
         * Kafka topic of the relay's media alarms ({@code no-media}, {@code failed}; key Call-ID); the edge ends the
         * affected calls. Read only when Kafka is enabled.
         */
        @WithDefault("media-events")
        String eventsTopic();
    }

    /** Call handling settings. */
    interface Calls {
        /** Time a browser whose WebSocket dropped mid-call has to come back before the call is ended. */
        @WithDefault("30s")
        Duration gracePeriod();

        /**
         * Smallest session interval in seconds the edge accepts (its Min-SE, RFC 4028 sections 5 and 6): a request
         * with a smaller Session-Expires gets 422 with this Min-SE, and a 2xx with a smaller one is not trusted (the
         * edge's own expiry timer uses at least this). The RFC's floor is 90; lower values are for tests only.
         */
        @WithDefault("90")
        int minSessionExpires();

        /** Maximum number of 422 retries toward one destination (RFC 4028 section 6). */
        @WithDefault("2")
        int max422Retries();

        /** Lifetime of an unanswered call before the edge gives up (Timer C, RFC 3261 section 16.6). */
        @WithDefault("180s")
        Duration inviteTimeout();
    }

    /** Kafka publication settings. */
    interface Kafka {
        /** Whether bindings and call events are published (needs kafka.bootstrap.servers). */
        @WithDefault("false")
        boolean enabled();

        /** Identifier of this edge instance, used to tell own bindings from those of other instances. */
        @WithDefault("edge-1")
        String instanceId();
    }
}
