package io.webcall.relay.dtls;

/** DTLS role of the relay toward a WebRTC peer (RFC 4145 setup attribute, RFC 5763 section 5). */
public enum DtlsRole { CLIENT, SERVER }
