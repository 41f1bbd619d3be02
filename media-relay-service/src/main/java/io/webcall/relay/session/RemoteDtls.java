package io.webcall.relay.session;

/** The peer's DTLS parameters from its SDP: fingerprint (RFC 8122) and setup role (RFC 4145). */
record RemoteDtls(String fingerprintAlgorithm, String fingerprint, String setup) {
}
