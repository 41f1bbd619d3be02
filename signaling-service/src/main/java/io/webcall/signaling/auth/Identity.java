package io.webcall.signaling.auth;

/** Who sent a request, once authenticated: user and SIP domain, the tenant, and how it was proven. */
public record Identity(String user, String domain, String tenantId, Method method) {

    /** How the identity was proven. */
    public enum Method { BEARER, DIGEST, FLOW }

    public String aor() {
        return "sip:" + user + "@" + domain;
    }
}
