package io.webcall.account.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Typed configuration of the account service, prefix {@code webcall}. Secrets have no default:
 * they are given per deployment (the local stack generates them at first start).
 */
@ConfigMapping(prefix = "webcall")
public interface AccountConfig {

    /** Operator access. */
    Admin admin();

    /** Service-to-service access (the signaling edge). */
    Internal internal();

    /** Encryption of stored secrets that must be recoverable (PBX trunk passwords, JWT signing keys). */
    Crypto crypto();

    /** Access tokens (JWT) and their signing keys. */
    Tokens tokens();

    /** Tenant API keys. */
    @WithName("api-keys")
    ApiKeys apiKeys();

    /** What {@code GET /v1/client-config} hands to the browser SDK. */
    Client client();

    /** Recognising a tenant's PBX by the address its requests come from. */
    Pbx pbx();

    interface Admin {
        /**
         * The operator's API key, presented as {@code Authorization: Bearer <key>}. Only its SHA-256
         * hash is kept in memory. No default: when unset, the operator API answers 401.
         */
        @WithName("api-key")
        Optional<String> apiKey();
    }

    interface Internal {
        /**
         * Bearer token the other services present on {@code /v1/internal/...}. No default: when
         * unset, the internal endpoints answer 401.
         */
        Optional<String> token();
    }

    interface Crypto {
        /**
         * AES key (base64 of 16, 24 or 32 bytes; 32 recommended) that encrypts stored secrets with
         * AES-GCM. No default: the service refuses to start without it. Changing it makes the stored
         * trunk passwords and signing keys unreadable.
         */
        @WithName("secret-key")
        Optional<String> secretKey();
    }

    interface Tokens {
        /** {@code iss} claim of issued access tokens. */
        @WithDefault("webcall-account")
        String issuer();

        /** Lifetime of an access token when the request does not ask for one. */
        @WithName("default-ttl")
        @WithDefault("1h")
        Duration defaultTtl();

        /** Longest lifetime a caller may ask for; longer requests get 400. */
        @WithName("max-ttl")
        @WithDefault("24h")
        Duration maxTtl();

        /** Age after which the signing key is replaced automatically (on the next issuance). */
        @WithName("signing-key-max-age")
        @WithDefault("30d")
        Duration signingKeyMaxAge();

        /**
         * How often an instance re-reads the signing keys from the database (so a rotation done by
         * another instance is picked up). Also added to how long a retired key stays published.
         */
        @WithName("key-refresh-interval")
        @WithDefault("30s")
        Duration keyRefreshInterval();

        /** Clock skew tolerated when checking {@code exp} of presented access tokens. */
        @WithName("clock-skew")
        @WithDefault("30s")
        Duration clockSkew();
    }

    interface ApiKeys {
        /**
         * Resolution of the last-used time of an API key: it is written at most once per key within
         * this interval, so authenticating a request does not write to the database every time.
         */
        @WithName("last-used-resolution")
        @WithDefault("1m")
        Duration lastUsedResolution();

        /**
         * How long a verified tenant API key is remembered, so requests do not each look it up in the
         * database. A revocation on this instance applies at once; on other instances after at most
         * this long. {@code 0s} looks every request up.
         */
        @WithName("verified-ttl")
        @WithDefault("5s")
        Duration verifiedTtl();

        /** Most verified API keys remembered at once (bounded memory; the oldest are looked up again). */
        @WithName("verified-max-entries")
        @WithDefault("10000")
        int verifiedMaxEntries();
    }

    interface Client {
        /** SIP-over-WebSocket URLs of the signaling edge, in order of preference. */
        @WithName("websocket-urls")
        @WithDefault("ws://127.0.0.1:8080/sip,wss://127.0.0.1:8443/sip")
        List<String> websocketUrls();

        /** STUN server URLs ({@code stun:host:port}); the literal {@code none} for none. */
        @WithName("stun-urls")
        @WithDefault("stun:127.0.0.1:3478")
        List<String> stunUrls();

        /** TURN server URLs ({@code turn:host:port?transport=udp|tcp}, {@code turns:...}). */
        @WithName("turn-urls")
        @WithDefault("turn:127.0.0.1:3478?transport=udp,turn:127.0.0.1:3478?transport=tcp")
        List<String> turnUrls();

        /**
         * Shared secret of the TURN REST API (coturn {@code static-auth-secret} with
         * {@code use-auth-secret}). No default: without it no TURN server is offered.
         */
        @WithName("turn-secret")
        Optional<String> turnSecret();

        /** Validity of the TURN credentials handed out. */
        @WithName("turn-credential-ttl")
        @WithDefault("12h")
        Duration turnCredentialTtl();
    }

    interface Pbx {
        /**
         * How long the addresses a trunk's host name resolves to are remembered (failed look-ups too). A
         * request from a PBX names its source IP address; a trunk given by host name matches it through
         * these addresses. {@code 0s} resolves on every look-up.
         */
        @WithName("address-cache-ttl")
        @WithDefault("60s")
        Duration addressCacheTtl();

        /**
         * Longest a look-up by source address waits for trunk host names to resolve; a name not resolved by
         * then matches nothing for that look-up (its answer is still remembered for the next one).
         */
        @WithName("resolve-timeout")
        @WithDefault("2s")
        Duration resolveTimeout();
    }
}
