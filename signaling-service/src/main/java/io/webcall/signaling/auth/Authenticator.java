package io.webcall.signaling.auth;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.webcall.signaling.logging.CallMdc;
import io.webcall.signaling.sip.SipHeaders;
import io.webcall.signaling.sip.SipMessage;
import io.webcall.signaling.sip.SipResponses;
import io.webcall.signaling.sip.SipUri;
import io.webcall.signaling.tenant.AccountClient;
import io.webcall.signaling.tenant.Tenant;
import io.webcall.signaling.transaction.ServerTransaction;
import io.webcall.signaling.transport.Flow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Authenticates browser requests. Accepts, in this order: a bearer access token (RFC 8898) whose user must be
 * the request's identity (To for REGISTER, From otherwise); HTTP digest with MD5 or SHA-256 (RFC 7616, RFC 3261
 * section 22) checked against the HA1 from the account service; or a connection on which the same identity
 * already registered. Anything else gets a challenge offering Digest SHA-256, Digest MD5 and Bearer.
 */
@ApplicationScoped
public class Authenticator {

    private static final Logger LOG = Logger.getLogger(Authenticator.class);

    @Inject
    JwtVerifier jwt;
    @Inject
    NonceStore nonces;
    @Inject
    FailureThrottle throttle;
    @Inject
    AccountClient account;
    @Inject
    MeterRegistry metrics;
    @Inject
    io.webcall.signaling.EdgeConfig config;

    private final Map<String, io.micrometer.core.instrument.Counter> outcomes = new ConcurrentHashMap<>();

    /** Identities proven on each connection-oriented flow (by a successful REGISTER on it). */
    private final Map<String, Set<String>> flowIdentities = new ConcurrentHashMap<>();

    /** Either the proven identity, or the response to send instead. */
    public record Outcome(Identity identity, SipMessage response) {
        public boolean ok() {
            return identity != null;
        }
    }

    /**
     * Authenticates the request of {@code st} and hands the sender's identity to {@code next}, with the Call-ID in the
     * log context; otherwise answers the transaction itself: with the challenge or refusal {@link #authenticate} built,
     * or 503 when the account service could not be asked.
     */
    public void authenticated(ServerTransaction st, boolean registrar, Consumer<Identity> next) {
        authenticate(st.request(), st.flow(), registrar).onComplete(CallMdc.wrap(ar -> {
            if (ar.failed()) {
                LOG.warnf("Authentication backend failed: %s", ar.cause().getMessage());
                st.respond(503, "Account Service Unavailable");
            } else if (!ar.result().ok()) {
                st.respond(ar.result().response());
            } else {
                next.accept(ar.result().identity());
            }
        }));
    }

    /**
     * Authenticates {@code request}. {@code registrar} selects 401/WWW-Authenticate (registrar) instead of
     * 407/Proxy-Authenticate (proxy), RFC 3261 sections 22.2 and 22.3.
     */
    public Future<Outcome> authenticate(SipMessage request, Flow flow, boolean registrar) {
        String source = flow.remoteHost();
        SipUri claimed = SipUri.parse(SipHeaders.uri(request.header(registrar ? "To" : "From")));
        if (claimed == null || claimed.user() == null) {
            return done(reject(request, 403, "Identity must be a sip URI with a user"));
        }
        if (throttle.throttled(source)) {
            count("throttled");
            return done(reject(request, 403, "Too Many Failed Authentications"));
        }
        String user = claimed.user();
        String domain = claimed.host();
        return account.tenantByDomain(domain).compose(tenant -> {
            if (tenant == null) {
                return done(reject(request, 404, "Unknown Domain"));
            }
            if (!tenant.active()) {
                return done(reject(request, 403, "Tenant Suspended"));
            }
            String proxyAuth = request.header("Proxy-Authorization");
            String auth = request.header("Authorization");
            String digestHeader = !registrar && proxyAuth != null ? proxyAuth : auth;
            if (auth != null && SipHeaders.authScheme(auth).equalsIgnoreCase("Bearer")) {
                return bearer(request, flow, registrar, tenant, user, domain, auth);
            }
            if (digestHeader != null && SipHeaders.authScheme(digestHeader).equalsIgnoreCase("Digest")) {
                return digest(request, flow, registrar, tenant, user, domain, digestHeader);
            }
            Set<String> proven = flowIdentities.get(flow.id());
            if (!registrar && flow.reliable() && proven != null && proven.contains(user + "@" + domain)) {
                return done(new Outcome(new Identity(user, domain, tenant.id(), Identity.Method.FLOW), null));
            }
            // the answer to this challenge will need the user's HA1: look it up while the client computes its response,
            // so a burst of new users does not queue behind the account service after their second request
            account.credentials(domain, user);
            return done(challenge(request, registrar, domain, false));
        });
    }

    private Future<Outcome> bearer(SipMessage request, Flow flow, boolean registrar, Tenant tenant, String user,
                                   String domain, String auth) {
        String token = auth.trim().substring(6).trim();
        return jwt.verify(token).transform(ar -> {
            if (ar.failed()) {
                failed(flow, "bearer: " + ar.cause().getMessage());
                SipMessage r = SipResponses.create(request, 401, "Unauthorized");
                r.add("WWW-Authenticate", "Bearer realm=\"" + domain + "\", error=\"invalid_token\", error_description=\""
                        + ar.cause().getMessage() + "\"");
                return done(new Outcome(null, r));
            }
            JwtVerifier.Token t = ar.result();
            if (!t.subject().equalsIgnoreCase(user) || !t.domain().equalsIgnoreCase(domain)
                    || (t.tenantId() != null && !t.tenantId().equals(tenant.id()))) {
                failed(flow, "bearer user mismatch");
                return done(reject(request, 403, "Token User Does Not Match " + (registrar ? "To" : "From")));
            }
            if (!registrar && !request.isMethod("REGISTER") && !t.grants().isEmpty() && !t.grants().contains("outgoing")) {
                return done(reject(request, 403, "Token Has No Outgoing Grant"));
            }
            succeeded(flow, user, domain, registrar);
            return done(new Outcome(new Identity(user, domain, tenant.id(), Identity.Method.BEARER), null));
        });
    }

    private Future<Outcome> digest(SipMessage request, Flow flow, boolean registrar, Tenant tenant, String user,
                                   String domain, String header) {
        Map<String, String> p = SipHeaders.authParams(header);
        String username = p.get("username");
        String algorithm = p.getOrDefault("algorithm", "MD5");
        String alg = algorithm.toUpperCase(Locale.ROOT);
        if (!alg.equals("MD5") && !alg.equals("SHA-256")) {
            return done(challenge(request, registrar, domain, false));
        }
        if (username == null || !username.equalsIgnoreCase(user) || p.get("response") == null || p.get("uri") == null) {
            failed(flow, "digest username does not match identity");
            return done(reject(request, 403, "Digest Username Does Not Match " + (registrar ? "To" : "From")));
        }
        String qop = p.get("qop");
        NonceStore.Check check = nonces.use(p.get("nonce"), qop == null ? null : p.get("nc"));
        if (check == NonceStore.Check.STALE || check == NonceStore.Check.UNKNOWN) {
            return done(challenge(request, registrar, domain, check == NonceStore.Check.STALE));
        }
        if (check == NonceStore.Check.REPLAY) {
            failed(flow, "digest nonce replay");
            return done(challenge(request, registrar, domain, false));
        }
        return account.credentials(domain, user).map(cred -> {
            if (cred == null || !cred.enabled()) {
                failed(flow, "unknown or disabled user " + user + "@" + domain);
                return challenge(request, registrar, domain, false);
            }
            String ha1 = alg.equals("SHA-256") ? cred.ha1Sha256() : cred.ha1Md5();
            String expected = Digest.response(alg, ha1, request.method(), p.get("uri"), p.get("nonce"),
                    p.get("nc"), p.get("cnonce"), qop);
            if (!Digest.matches(expected, p.get("response"))) {
                failed(flow, "digest mismatch for " + user + "@" + domain);
                return challenge(request, registrar, domain, false);
            }
            succeeded(flow, user, domain, registrar);
            return new Outcome(new Identity(user, domain, tenant.id(), Identity.Method.DIGEST), null);
        });
    }

    private Outcome challenge(SipMessage request, boolean registrar, String realm, boolean stale) {
        count("challenge");
        SipMessage r = SipResponses.create(request, registrar ? 401 : 407, registrar ? "Unauthorized" : "Proxy Authentication Required");
        String header = registrar ? "WWW-Authenticate" : "Proxy-Authenticate";
        String staleParam = stale ? ", stale=true" : "";
        // one nonce for every offered algorithm: the client answers one of them, and the nonce's count is tracked once
        String nonce = nonces.issue();
        String sha256 = "Digest realm=\"" + realm + "\", nonce=\"" + nonce + "\", algorithm=SHA-256, qop=\"auth\"" + staleParam;
        String md5 = "Digest realm=\"" + realm + "\", nonce=\"" + nonce + "\", algorithm=MD5, qop=\"auth\"" + staleParam;
        // RFC 7616 section 3.7: clients should use the first challenge they support. SIP.js answers the first
        // challenge and JsSIP the last, both MD5 only; so unless SHA-256 is preferred, MD5 opens and closes the list.
        if (config.auth().preferSha256()) {
            r.add(header, sha256);
            r.add(header, md5);
            if (registrar) {
                r.add(header, "Bearer realm=\"" + realm + "\"");
            }
        } else {
            r.add(header, md5);
            r.add(header, sha256);
            if (registrar) {
                r.add(header, "Bearer realm=\"" + realm + "\"");
            }
            r.add(header, md5);
        }
        return new Outcome(null, r);
    }

    private Outcome reject(SipMessage request, int status, String reason) {
        count("rejected");
        return new Outcome(null, SipResponses.create(request, status, reason));
    }

    private void failed(Flow flow, String why) {
        count("failed");
        LOG.debugf("Authentication failed from %s: %s", flow, why);
        throttle.failed(flow.remoteHost());
    }

    private void succeeded(Flow flow, String user, String domain, boolean registrar) {
        count("ok");
        if (registrar && flow.reliable()) {
            // usually one identity per connection: an immutable set, copied on the rare second identity
            String id = user + "@" + domain;
            flowIdentities.compute(flow.id(), (k, ids) -> ids == null ? Set.of(id) : ids.contains(id) ? ids : with(ids, id));
        }
    }

    /** Counts an authentication outcome ({@code webcall_edge_auth_total}); the counter is looked up once per result. */
    private void count(String result) {
        outcomes.computeIfAbsent(result, r -> metrics.counter("webcall_edge_auth_total", "result", r)).increment();
    }

    private static Set<String> with(Set<String> ids, String id) {
        java.util.HashSet<String> more = new java.util.HashSet<>(ids);
        more.add(id);
        return Set.copyOf(more);
    }

    /** Forgets what a closed flow proved. */
    public void flowClosed(Flow flow) {
        flowIdentities.remove(flow.id());
    }

    private static <T> Future<T> done(T value) {
        return Future.succeededFuture(value);
    }
}
