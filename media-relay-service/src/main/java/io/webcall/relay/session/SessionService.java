package io.webcall.relay.session;

import io.webcall.relay.config.RelayConfig;
import io.webcall.relay.dtls.DtlsIdentity;
import io.webcall.relay.dtls.DtlsRole;
import io.webcall.relay.ice.IceHarvesterHolder;
import io.webcall.relay.rtp.RtpEndpoint;
import io.webcall.relay.rtp.RtpPortAllocator;
import io.webcall.relay.rtp.RtpSocketLoop;
import io.webcall.relay.sdp.Codec;
import io.webcall.relay.sdp.Codecs;
import io.webcall.relay.sdp.Direction;
import io.webcall.relay.sdp.IceParameters;
import io.webcall.relay.sdp.MediaDescription;
import io.webcall.relay.sdp.SdpParseException;
import io.webcall.relay.sdp.SdpParser;
import io.webcall.relay.sdp.SdpWriter;
import io.webcall.relay.sdp.SessionDescription;
import io.webcall.relay.stats.RelayMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Offer/answer handling of the control API (RFC 3264): creates sessions and legs, applies each side's
 * SDP to its endpoint and writes the rewritten SDP for the other side. Repeated offers keep ports, ICE
 * credentials and the DTLS association unless an ICE restart is asked for or signalled.
 */
@ApplicationScoped
public class SessionService {

    private static final Logger LOG = Logger.getLogger(SessionService.class);
    private static final Pattern CALL_ID = Pattern.compile("[\\x21-\\x7e]{1,256}");

    private final RelayConfig config;
    private final IceHarvesterHolder ice;
    private final DtlsIdentity identity;
    private final RtpPortAllocator ports;
    private final RtpSocketLoop rtpLoop;
    private final RelayMetrics metrics;
    private final SessionEvents events;
    private final Map<String, MediaSession> sessions = new ConcurrentHashMap<>();
    /** Sessions whose media failed: resources freed, the figures and reason kept for a while (GET, DELETE). */
    private final Map<String, FailedSession> failed = new ConcurrentHashMap<>();
    private final AtomicInteger dtlsThreads = new AtomicInteger();
    /** Runs the blocking DTLS handshakes; a thread idle for a few seconds ends (no thread per call stays). */
    private final ExecutorService dtlsExecutor = new java.util.concurrent.ThreadPoolExecutor(0, Integer.MAX_VALUE,
            5, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "relay-dtls-" + dtlsThreads.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    public SessionService(RelayConfig config, IceHarvesterHolder ice, DtlsIdentity identity, RtpPortAllocator ports,
                          RtpSocketLoop rtpLoop, RelayMetrics metrics, SessionEvents events) {
        this.config = config;
        this.ice = ice;
        this.identity = identity;
        this.ports = ports;
        this.rtpLoop = rtpLoop;
        this.metrics = metrics;
        this.events = events;
        metrics.sessionGauge(sessions::size);
    }

    /** What is left of a session whose media failed: its last figures and when it failed. */
    record FailedSession(SessionSnapshot snapshot, long failedAtNanos) {
    }

    /** Request of {@code POST /v1/sessions/{callId}/offer}. */
    public record Offer(String sdp, String from, String to, String fromTag, boolean iceRestart) {
    }

    /** Request of {@code POST /v1/sessions/{callId}/answer}. */
    public record Answer(String sdp, String from, String to, String fromTag, String toTag) {
    }

    public String offer(String callId, Offer request) {
        validateCallId(callId);
        SessionDescription sdp = parse(request.sdp());
        LegKind fromKind = LegKind.parse(request.from(), "from");
        boolean echo = "echo".equalsIgnoreCase(request.to());
        LegKind toKind = echo ? null : LegKind.parse(request.to(), "to");
        MDC.put("callId", callId);
        try {
            rejectIfFailed(callId);
            MediaSession session = sessions.get(callId);
            boolean created = false;
            if (session == null) {
                session = new MediaSession(callId, echo, this::onFailure);
                MediaSession raced = sessions.putIfAbsent(callId, session);
                if (raced != null) {
                    session = raced;
                } else {
                    created = true;
                    metrics.sessionCreated();
                }
            }
            synchronized (session) {
                if (session.closed()) {
                    throw new RelayException(409, "session_closed", "session " + callId + " was deleted", null);
                }
                try {
                    return created ? firstOffer(session, sdp, fromKind, toKind, request)
                            : reOffer(session, sdp, fromKind, toKind, echo, request);
                } catch (RuntimeException e) {
                    if (created) {
                        remove(callId, "offer failed");
                    }
                    throw e;
                }
            }
        } finally {
            MDC.remove("callId");
        }
    }

    private String firstOffer(MediaSession session, SessionDescription sdp, LegKind fromKind, LegKind toKind,
                              Offer request) {
        Leg a = newLeg(session, fromKind, request.fromTag(), false);
        session.a(a);
        applyRemote(a, sdp, request.iceRestart());
        List<Codec> offered = supportedOrFail(a);
        if (session.echo()) {
            return echoAnswer(session, a, offered);
        }
        Leg b = newLeg(session, toKind, null, true);
        session.b(b);
        session.pending(new MediaSession.PendingOffer(a, b, offered));
        return render(b, offered, a.direction(), a.ptime(), true);
    }

    private String reOffer(MediaSession session, SessionDescription sdp, LegKind fromKind, LegKind toKind,
                           boolean echo, Offer request) {
        session.touchSignal();
        if (session.echo() != echo) {
            throw new RelayException(409, "conflict", "session was created " + (session.echo() ? "with" : "without")
                    + " echo; to must stay the same", "to");
        }
        Leg offering = offeringLeg(session, request.fromTag());
        if (offering.kind() != fromKind) {
            throw new RelayException(409, "conflict", "the offering leg is " + offering.kind().name().toLowerCase()
                    + ", not " + request.from(), "from");
        }
        applyRemote(offering, sdp, request.iceRestart());
        List<Codec> offered = supportedOrFail(offering);
        if (session.echo()) {
            return echoAnswer(session, offering, offered);
        }
        Leg receiving = offering == session.a() ? session.b() : session.a();
        if (receiving.kind() != toKind) {
            throw new RelayException(409, "conflict", "the receiving leg is " + receiving.kind().name().toLowerCase()
                    + ", not " + request.to(), "to");
        }
        if (request.iceRestart() && receiving.endpoint() instanceof WebRtcEndpoint w) {
            try {
                w.prepareRestart();
            } catch (IOException e) {
                throw new RelayException(500, "ice_error", "ICE restart failed: " + e.getMessage(), null);
            }
        }
        session.pending(new MediaSession.PendingOffer(offering, receiving, offered));
        return render(receiving, offered, offering.direction(), offering.ptime(), true);
    }

    private Leg offeringLeg(MediaSession session, String fromTag) {
        Leg a = session.a();
        Leg b = session.b();
        if (fromTag == null || fromTag.equals(a.tag())) {
            return a;
        }
        if (b != null && (b.tag() == null || fromTag.equals(b.tag()))) {
            if (b.tag() == null) {
                b.tag(fromTag);
            }
            return b;
        }
        throw new RelayException(409, "unknown_tag", "fromTag '" + fromTag + "' belongs to neither leg", "fromTag");
    }

    /**
     * The relay's own answer in echo mode (RFC 3264 section 6.1): every offered format the relay passes
     * (Opus, PCMU, PCMA, telephone-event at the clock rate of a kept codec), in the offerer's preference
     * order and numbering; media is looped back with the payload type it came with.
     */
    private String echoAnswer(MediaSession session, Leg leg, List<Codec> offered) {
        if (offered.stream().allMatch(Codec::isTelephoneEvent)) {
            throw new RelayException(400, "no_common_codec", "echo needs an audio codec (Opus, PCMU or PCMA)",
                    "sdp");
        }
        List<Codec> chosen = List.copyOf(offered);
        leg.connect(leg, chosen, chosen);
        session.answered(true);
        session.pending(null);
        return render(leg, chosen, leg.direction().answer(), leg.ptime(), false);
    }

    public String answer(String callId, Answer request) {
        validateCallId(callId);
        SessionDescription sdp = parse(request.sdp());
        LegKind fromKind = LegKind.parse(request.from(), "from");
        MediaSession session = sessions.get(callId);
        if (session == null) {
            rejectIfFailed(callId);
            throw new RelayException(404, "not_found", "no session " + callId, null);
        }
        MDC.put("callId", callId);
        try {
            synchronized (session) {
                session.touchSignal();
                MediaSession.PendingOffer pending = session.pending();
                if (pending == null) {
                    throw new RelayException(409, "no_offer", "session " + callId + " has no offer waiting for an "
                            + "answer", null);
                }
                Leg answering = pending.receiving();
                Leg offering = pending.offering();
                if (answering.kind() != fromKind) {
                    throw new RelayException(409, "conflict", "the answering leg is "
                            + answering.kind().name().toLowerCase() + ", not " + request.from(), "from");
                }
                if (answering.tag() == null) {
                    answering.tag(request.toTag());
                }
                applyRemote(answering, sdp, false);
                List<Codec> answeredCodecs = Codecs.supported(answering.codecs());
                List<Codec> forOfferer = new ArrayList<>();
                List<Codec> forAnswerer = new ArrayList<>();
                for (Codec answered : answeredCodecs) {
                    for (Codec offered : pending.offered()) {
                        if (offered.key().equals(answered.key())
                                && forOfferer.stream().noneMatch(c -> c.payloadType() == offered.payloadType())) {
                            forOfferer.add(answered.withPayloadType(offered.payloadType()));
                            forAnswerer.add(answered);
                            break;
                        }
                    }
                }
                if (forOfferer.isEmpty()) {
                    throw new RelayException(400, "no_common_codec", "the answer has no codec of the offer",
                            "sdp");
                }
                offering.connect(answering, forOfferer, forAnswerer);
                answering.connect(offering, forAnswerer, forOfferer);
                session.pending(null);
                session.answered(true);
                return render(offering, forOfferer, answering.direction(), answering.ptime(), false);
            }
        } finally {
            MDC.remove("callId");
        }
    }

    public boolean delete(String callId) {
        validateCallId(callId);
        return remove(callId, "deleted") != null | failed.remove(callId) != null;
    }

    public Optional<MediaSession> find(String callId) {
        return Optional.ofNullable(sessions.get(callId));
    }

    /** Figures of a running session, or the last figures of one whose media failed. */
    public Optional<SessionSnapshot> snapshot(String callId) {
        MediaSession session = sessions.get(callId);
        if (session != null) {
            return Optional.of(SessionSnapshot.of(session, "stats", false, null));
        }
        return Optional.ofNullable(failed.get(callId)).map(FailedSession::snapshot);
    }

    /** Number of failed sessions whose record is kept (their media resources are already freed). */
    public int failedCount() {
        return failed.size();
    }

    /** Forgets failed sessions recorded longer than the retention before {@code now} ({@link System#nanoTime()}). */
    void expireFailed(long now) {
        long retention = config.timeouts().failedSessionRetention().toNanos();
        failed.values().removeIf(f -> now - f.failedAtNanos() > retention);
    }

    private void rejectIfFailed(String callId) {
        FailedSession f = failed.get(callId);
        if (f != null) {
            throw new RelayException(409, "session_failed", "the media of call " + callId + " failed ("
                    + f.snapshot().failure() + "); delete the session before reusing the Call-ID", null);
        }
    }

    public Collection<MediaSession> sessions() {
        return sessions.values();
    }

    /** Frees a session: closes its endpoints (ports, ICE agents, DTLS) and publishes its final figures. */
    public MediaSession remove(String callId, String reason) {
        MediaSession session = sessions.remove(callId);
        if (session != null) {
            synchronized (session) {
                session.close();
            }
            LOG.infof("call %s: session freed (%s)", callId, reason);
            events.ended(session, reason);
        }
        return session;
    }

    /**
     * A session that cannot carry media any more (DTLS fingerprint mismatch, failed handshake) is freed at
     * once, ports and ICE agents included, rather than at DELETE or the idle timeout; a small record of it
     * stays for {@code timeouts.failed-session-retention} so {@code GET} still reports why.
     */
    private void onFailure(MediaSession session, String reason) {
        LOG.warnf("call %s: media failed: %s", session.callId(), reason);
        events.failed(session, reason);
        if (sessions.get(session.callId()) != session) {
            return;
        }
        failed.put(session.callId(), new FailedSession(SessionSnapshot.of(session, "failed", true, reason),
                System.nanoTime()));
        remove(session.callId(), "media failed: " + reason);
    }

    private Leg newLeg(MediaSession session, LegKind kind, String tag, boolean relayOffers) {
        try {
            MediaEndpoint endpoint = switch (kind) {
                case WEBRTC -> new WebRtcEndpoint(session.callId(), ice.harvester(), ice.webRtcPort(), relayOffers,
                        config.webrtc().consentFreshness(), identity, metrics, dtlsExecutor);
                case RTP -> new RtpEndpoint(ports, rtpLoop, metrics);
            };
            return new Leg(session, kind, tag, endpoint, metrics);
        } catch (IOException e) {
            throw new RelayException(503, "no_resources", "cannot open media for the call: " + e.getMessage(),
                    null);
        }
    }

    /** Takes one side's SDP into its leg: codecs, direction, transport addresses or ICE/DTLS parameters. */
    private void applyRemote(Leg leg, SessionDescription sdp, boolean iceRestart) {
        MediaDescription audio = sdp.audio();
        leg.codecs(Codecs.of(audio));
        leg.direction(Direction.of(audio));
        leg.ptime(audio.attribute("ptime").orElse(null));
        audio.attribute("mid").ifPresent(leg::mid);
        if (leg.endpoint() instanceof WebRtcEndpoint w) {
            if (!audio.isDtlsSrtp()) {
                throw new RelayException(400, "invalid_sdp", "a webrtc side must use UDP/TLS/RTP/SAVPF, not "
                        + audio.protocol(), "sdp");
            }
            IceParameters p;
            try {
                p = IceParameters.of(sdp);
            } catch (SdpParseException e) {
                throw new RelayException(400, "invalid_sdp", e.getMessage(), "sdp");
            }
            try {
                w.setRemoteIce(p.ufrag(), p.password(), iceRestart);
            } catch (IOException e) {
                throw new RelayException(500, "ice_error", "ICE restart failed: " + e.getMessage(), null);
            }
            DtlsRole role = w.role() != null ? w.role()
                    : p.setup().equals("passive") ? DtlsRole.CLIENT : DtlsRole.SERVER;
            w.startDtls(role, p.fingerprintAlgorithm(), p.fingerprint());
        } else if (leg.endpoint() instanceof RtpEndpoint r) {
            if (audio.isDtlsSrtp()) {
                throw new RelayException(400, "invalid_sdp", "an rtp side must use RTP/AVP, not "
                        + audio.protocol(), "sdp");
            }
            String address = sdp.audioConnectionAddress();
            if (address == null) {
                throw new RelayException(400, "invalid_sdp", "SDP has no c= line for audio", "sdp");
            }
            int rtcpPort = audio.attribute("rtcp").map(v -> v.trim().split("\\s+")[0]).map(v -> {
                try {
                    return Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    return audio.port() + 1;
                }
            }).orElse(audio.hasAttribute("rtcp-mux") ? audio.port() : audio.port() + 1);
            try {
                r.setSignalledAddress(address, audio.port(), rtcpPort);
            } catch (IllegalArgumentException e) {
                throw new RelayException(400, "invalid_sdp", "bad media address " + address, "sdp");
            }
        }
    }

    private List<Codec> supportedOrFail(Leg leg) {
        List<Codec> offered = Codecs.supported(leg.codecs());
        if (offered.isEmpty()) {
            throw new RelayException(400, "no_common_codec",
                    "the offer has no codec the relay passes (Opus, PCMU, PCMA, telephone-event)", "sdp");
        }
        return offered;
    }

    /**
     * Writes the relay's SDP toward a leg's endpoint. Offers say {@code a=setup:actpass} (RFC 5763 section 5);
     * answers state the DTLS role the association already has, so a re-INVITE never flips it.
     */
    private String render(Leg leg, List<Codec> codecs, Direction direction, String ptime, boolean offer) {
        SdpWriter.Origin origin = new SdpWriter.Origin(leg.sdpSessionId(), leg.nextSdpVersion());
        if (leg.endpoint() instanceof WebRtcEndpoint w) {
            String setup = offer || w.role() == null ? "actpass"
                    : w.role() == DtlsRole.SERVER ? "passive" : "active";
            return SdpWriter.webrtc(origin, new SdpWriter.WebRtcTransport(w.advertisedUfrag(), w.advertisedPassword(),
                    identity.fingerprint(), setup, leg.mid() != null ? leg.mid() : "0", config.advertisedAddress(),
                    ice.port()), codecs, direction, ptime);
        }
        RtpEndpoint r = (RtpEndpoint) leg.endpoint();
        return SdpWriter.rtp(origin, config.advertisedAddress(), r.port(), codecs, direction, ptime);
    }

    private static SessionDescription parse(String sdp) {
        try {
            SessionDescription parsed = SdpParser.parse(sdp);
            parsed.audio();
            return parsed;
        } catch (SdpParseException e) {
            throw new RelayException(400, "invalid_sdp", e.getMessage(), "sdp");
        }
    }

    private static void validateCallId(String callId) {
        if (callId == null || !CALL_ID.matcher(callId).matches()) {
            throw new RelayException(400, "invalid_call_id", "callId must be 1-256 visible ASCII characters",
                    "callId");
        }
    }

    @PreDestroy
    void shutdown() {
        for (String callId : List.copyOf(sessions.keySet())) {
            remove(callId, "relay stopping");
        }
        dtlsExecutor.shutdownNow();
    }
}
