package io.webcall.signaling.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The user agent logic of the load client over one {@link SipChannel}: REGISTER with a bearer token
 * (RFC 8898) or with digest after a 401 challenge (RFC 3261 section 22, MD5, qop=auth when offered), and a call
 * INVITE -> 2xx -> ACK -> BYE -> 200 following the Record-Route set (RFC 3261 section 12.1.2).
 */
final class LoadUa {

    private static final AtomicLong IDS = new AtomicLong();
    static final String SDP = "v=0\r\no=bench 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    /** Calls whose 2xx answer was not WebRTC SDP (when a WebRTC offer was sent). */
    static final AtomicLong ANSWERS_NOT_WEBRTC = new AtomicLong();
    /** Calls the PBX refused because the offer it got was not plain RTP/AVP (its 488, see the sipp scenario). */
    static final AtomicLong OFFERS_NOT_PLAIN = new AtomicLong();
    private static final AtomicLong REPORTED = new AtomicLong();
    /** Print the next 2xx answer the client gets (set by the benchmark with {@code EDGE_BENCH_TRACE=1}). */
    static final java.util.concurrent.atomic.AtomicBoolean SHOW_NEXT_ANSWER = new java.util.concurrent.atomic.AtomicBoolean();

    final SipChannel ch;
    final String user;
    final String domain;
    final String target;
    private int cseq = 1;
    /**
     * When not 0: offer WebRTC SDP, as a browser does, with its host candidate at this loopback UDP port, and require a
     * WebRTC answer; 0: a plain RTP/AVP offer.
     */
    int webrtcCandidatePort;
    private String lastRoute;
    private final String regCallId = "r" + IDS.incrementAndGet() + "@bench";

    LoadUa(SipChannel ch, String user, String domain, String target) {
        this.ch = ch;
        this.user = user;
        this.domain = domain;
        this.target = target;
    }

    private static String branch() {
        return "z9hG4bK" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + IDS.incrementAndGet();
    }

    /** One REGISTER transaction (plus its challenge round when {@code password} is given); completes on 200. */
    Future<Void> register(String bearer, String password, int expires) {
        Promise<Void> done = Promise.promise();
        String aor = "sip:" + user + "@" + domain;
        String fromTag = "f" + IDS.incrementAndGet();
        ch.on(regCallId, m -> {
            if (m.status < 200 || m.header("CSeq") == null || !m.header("CSeq").endsWith("REGISTER")) {
                return;
            }
            if (m.status == 401 && password != null && !done.future().isComplete()) {
                String ch401 = m.header("WWW-Authenticate");
                String header = digest(ch401, user, password, "REGISTER", "sip:" + domain);
                ch.send(registerText(aor, fromTag, expires, "Authorization: " + header + "\r\n"));
                return;
            }
            ch.forget(regCallId);
            if (m.status == 200) {
                done.tryComplete();
            } else {
                done.tryFail("REGISTER answered " + m.status);
            }
        });
        ch.send(registerText(aor, fromTag, expires, bearer != null ? "Authorization: Bearer " + bearer + "\r\n" : ""));
        return done.future();
    }

    private String registerText(String aor, String fromTag, int expires, String auth) {
        return "REGISTER sip:" + domain + " SIP/2.0\r\n" + ch.via(branch()) + "Max-Forwards: 70\r\n"
                + "From: <" + aor + ">;tag=" + fromTag + "\r\nTo: <" + aor + ">\r\nCall-ID: " + regCallId + "\r\n"
                + "CSeq: " + (cseq++) + " REGISTER\r\nContact: " + ch.contact(user) + ";expires=" + expires + "\r\n"
                + auth + "Content-Length: 0\r\n\r\n";
    }

    /** One call; completes with the INVITE -> 200 time in nanoseconds once the BYE is answered. */
    Future<Long> call() {
        Promise<Long> done = Promise.promise();
        String callId = "c" + IDS.incrementAndGet() + "@bench";
        String fromTag = "f" + IDS.incrementAndGet();
        String from = "<sip:" + user + "@" + domain + ">;tag=" + fromTag;
        String invBranch = branch();
        long[] answeredAt = {0};
        String[] badAnswer = {null};
        long start = System.nanoTime();
        ch.on(callId, m -> {
            String cseqHdr = m.header("CSeq");
            if (cseqHdr == null || m.status < 200) {
                return;
            }
            if (cseqHdr.endsWith("INVITE")) {
                if (m.status >= 300) {
                    ch.forget(callId);
                    String warning = m.header("Warning");
                    if (m.status == 488 && warning != null && warning.contains("not plain RTP/AVP")) {
                        OFFERS_NOT_PLAIN.incrementAndGet();
                        done.tryFail("SDP CHECK FAILED: the PBX got an offer that is not plain RTP/AVP: " + warning);
                    } else {
                        done.tryFail("INVITE answered " + m.status);
                    }
                    return;
                }
                String to = m.header("To");
                String remote = SipText.uri(m.header("Contact"));
                List<String> rr = m.headers("Record-Route");
                String route = reverseRoutes(rr);
                lastRoute = route + " contact " + remote;
                if (answeredAt[0] != 0) {
                    return; // 2xx retransmission: our ACK is on its way
                }
                answeredAt[0] = System.nanoTime();
                if (SHOW_NEXT_ANSWER.compareAndSet(true, false)) {
                    System.out.println("  answer the client got (" + callId + "):\n    " + m.body().trim().replace("\r\n", "\n    "));
                }
                if (webrtcCandidatePort != 0) {
                    String problem = WebRtcSdp.answerProblem(m.body());
                    if (problem != null) {
                        // the call is still completed (ACK, BYE) so nothing is left behind, then counted as failed
                        badAnswer[0] = problem;
                        ANSWERS_NOT_WEBRTC.incrementAndGet();
                        if (REPORTED.incrementAndGet() <= 3) {
                            System.out.println("  SDP CHECK FAILED: the answer to the WebRTC offer " + problem + ":\n" + m.body());
                        }
                    }
                }
                String dialog = "From: " + from + "\r\nTo: " + to + "\r\nCall-ID: " + callId + "\r\n";
                ch.send("ACK " + remote + " SIP/2.0\r\n" + ch.via(branch()) + route + "Max-Forwards: 70\r\n" + dialog
                        + "CSeq: 1 ACK\r\nContent-Length: 0\r\n\r\n");
                ch.send("BYE " + remote + " SIP/2.0\r\n" + ch.via(branch()) + route + "Max-Forwards: 70\r\n" + dialog
                        + "CSeq: 2 BYE\r\nContent-Length: 0\r\n\r\n");
            } else if (cseqHdr.endsWith("BYE")) {
                ch.forget(callId);
                if (badAnswer[0] != null) {
                    done.tryFail("SDP CHECK FAILED: the answer to the WebRTC offer " + badAnswer[0]);
                } else if (m.status == 200) {
                    done.tryComplete(answeredAt[0] - start);
                } else {
                    done.tryFail("BYE answered " + m.status + " (route set and target: " + lastRoute + ")");
                }
            }
        });
        String sdp = webrtcCandidatePort != 0 ? WebRtcSdp.offer(IDS.incrementAndGet(), webrtcCandidatePort) : SDP;
        ch.send("INVITE sip:" + target + "@" + domain + " SIP/2.0\r\n" + ch.via(invBranch) + "Max-Forwards: 70\r\n"
                + "From: " + from + "\r\nTo: <sip:" + target + "@" + domain + ">\r\nCall-ID: " + callId + "\r\n"
                + "CSeq: 1 INVITE\r\nContact: " + ch.contact(user) + "\r\nContent-Type: application/sdp\r\n"
                + "Content-Length: " + sdp.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + sdp);
        return done.future();
    }

    /** The UAC's route set is the Record-Route list in reverse order (RFC 3261 section 12.1.2). */
    private static String reverseRoutes(List<String> recordRoutes) {
        List<String> all = new java.util.ArrayList<>();
        for (String line : recordRoutes) {
            for (String one : line.split(",(?=\\s*<)")) {
                all.add(one.trim());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = all.size() - 1; i >= 0; i--) {
            out.append("Route: ").append(all.get(i)).append("\r\n");
        }
        return out.toString();
    }

    /** Digest response (RFC 2617 / RFC 3261 section 22.4) with MD5, qop=auth when the challenge offers it. */
    static String digest(String challenge, String user, String password, String method, String uri) {
        String realm = SipText.param(challenge, "realm");
        String nonce = SipText.param(challenge, "nonce");
        String qop = SipText.param(challenge, "qop");
        String opaque = SipText.param(challenge, "opaque");
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String out = "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", algorithm=MD5";
        if (qop != null) {
            String cnonce = Long.toHexString(ThreadLocalRandom.current().nextLong());
            out += ", qop=auth, nc=00000001, cnonce=\"" + cnonce + "\", response=\""
                    + md5(ha1 + ":" + nonce + ":00000001:" + cnonce + ":auth:" + ha2) + "\"";
        } else {
            out += ", response=\"" + md5(ha1 + ":" + nonce + ":" + ha2) + "\"";
        }
        return opaque != null ? out + ", opaque=\"" + opaque + "\"" : out;
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
