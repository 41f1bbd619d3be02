package io.webcall.relay.srtp;

/** Outcome of unprotecting one SRTP or SRTCP packet. */
public enum SrtpResult {
    OK, AUTH_FAIL, REPLAY, INVALID
}
