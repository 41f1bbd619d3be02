package io.webcall.signaling.media;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The media relays an edge uses and which relay holds which call. A call's offer, answer, re-offers and delete must
 * reach the relay that holds its session, so the first offer of a call picks a relay and the call stays on it:
 * <ul>
 *   <li>the relay is chosen by rendezvous hashing of the Call-ID over the relays' URLs (every edge ranks the relays
 *   of a call the same way, and adding a relay moves only the calls that rank it first);</li>
 *   <li>a relay that refused a connection is skipped for new calls for {@code retryAfterNanos}, and the call goes to
 *   the next relay in its ranking; a call already on a relay never moves;</li>
 *   <li>the relay a call went to is remembered until its delete, or until it was not used for
 *   {@code forgetAfterNanos} (a call whose end the edge missed); a call not remembered uses its first-ranked relay.</li>
 * </ul>
 */
final class RelayPool {

    /** One relay's control API. */
    static final class Relay {
        final String url;
        final String host;
        final int port;
        final boolean tls;
        /** Path prefix of the sessions resource, ending in a slash. */
        final String sessionsPath;
        private final long rankSeed;
        private volatile long downUntilNanos;

        Relay(String url) {
            URI uri = URI.create(url.trim());
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw new IllegalArgumentException("relay URL must be http(s)://host[:port][/path]: " + url);
            }
            this.url = url.trim();
            tls = "https".equalsIgnoreCase(uri.getScheme());
            host = uri.getHost();
            port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
            String path = uri.getRawPath() == null ? "" : uri.getRawPath();
            sessionsPath = (path.endsWith("/") ? path.substring(0, path.length() - 1) : path) + "/v1/sessions/";
            rankSeed = mix(fnv(this.url.getBytes(StandardCharsets.UTF_8)));
        }

        boolean isDown(long now) {
            return now - downUntilNanos < 0;
        }

        @Override
        public String toString() {
            return url;
        }
    }

    private record Assignment(Relay relay, long lastUsedNanos) {
    }

    private final List<Relay> relays;
    private final long retryAfterNanos;
    private final long forgetAfterNanos;
    private final Map<String, Assignment> calls = new ConcurrentHashMap<>();

    RelayPool(List<String> urls, long retryAfterNanos, long forgetAfterNanos) {
        List<Relay> list = new ArrayList<>();
        for (String url : urls) {
            if (!url.isBlank() && list.stream().noneMatch(r -> r.url.equals(url.trim()))) {
                list.add(new Relay(url));
            }
        }
        if (list.isEmpty()) {
            throw new IllegalArgumentException("no media relay URL configured");
        }
        this.relays = List.copyOf(list);
        this.retryAfterNanos = retryAfterNanos;
        this.forgetAfterNanos = forgetAfterNanos;
    }

    List<Relay> relays() {
        return relays;
    }

    /** The relay that holds {@code callId}'s session, or null when the call has none yet (as far as this edge knows). */
    Relay assigned(String callId, long now) {
        Assignment a = calls.get(callId);
        if (a == null) {
            return null;
        }
        if (now - a.lastUsedNanos > forgetAfterNanos / 2) {
            calls.replace(callId, a, new Assignment(a.relay, now));
        }
        return a.relay;
    }

    /** The relays a new call tries in turn: its rendezvous ranking, relays refusing connections moved to the end. */
    List<Relay> candidates(String callId, long now) {
        List<Relay> ranked = new ArrayList<>(relays);
        ranked.sort(Comparator.comparingInt((Relay r) -> r.isDown(now) ? 1 : 0).thenComparing(ranking(callId)));
        return ranked;
    }

    /** The relay for a request of a call this edge does not remember: its first-ranked relay, up or not. */
    Relay firstRanked(String callId) {
        return Collections.min(relays, ranking(callId));
    }

    /** The rendezvous ranking of the relays for a call: the highest score first. */
    private static Comparator<Relay> ranking(String callId) {
        long callHash = fnv(callId.getBytes(StandardCharsets.UTF_8));
        return (a, b) -> Long.compareUnsigned(score(callHash, b), score(callHash, a));
    }

    void assign(String callId, Relay relay, long now) {
        calls.put(callId, new Assignment(relay, now));
    }

    /** Forgets the call (its session is being deleted); returns its relay, or null if none was remembered. */
    Relay release(String callId) {
        Assignment a = calls.remove(callId);
        return a == null ? null : a.relay;
    }

    /** The relay refused a connection: new calls skip it for a while. */
    void markDown(Relay relay, long now) {
        relay.downUntilNanos = now + retryAfterNanos;
    }

    /** Relays not marked down. */
    int available(long now) {
        int n = 0;
        for (Relay r : relays) {
            if (!r.isDown(now)) {
                n++;
            }
        }
        return n;
    }

    /** Calls remembered. */
    int calls() {
        return calls.size();
    }

    /** Forgets calls not used for {@code forgetAfterNanos}; returns how many. */
    int forgetIdle(long now) {
        int before = calls.size();
        calls.values().removeIf(a -> now - a.lastUsedNanos > forgetAfterNanos);
        return before - calls.size();
    }

    /** Rendezvous score of a relay for a call. */
    private static long score(long callHash, Relay r) {
        return mix(callHash ^ r.rankSeed);
    }

    private static long fnv(byte[] bytes) {
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A 64-bit finaliser (splitmix64) so that similar inputs get unrelated scores. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
