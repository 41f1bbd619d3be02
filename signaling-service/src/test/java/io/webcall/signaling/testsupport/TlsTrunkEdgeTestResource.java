package io.webcall.signaling.testsupport;

import java.util.Map;

/**
 * Like {@link AnchoredEdgeTestResource}, with SIP over TLS: the edge trusts only the test certificates {@code pbx-trusted}
 * and {@code pbx-other-host} (which names another host) for connections to PBXes and runs its TLS listener (certificate {@code edge}) on a free port.
 */
public class TlsTrunkEdgeTestResource extends AnchoredEdgeTestResource {

    /** The certificate a PBX presents that the edge trusts. */
    public static final String TRUSTED = "pbx-trusted";
    /** A certificate the edge's trust store does not hold. */
    public static final String UNTRUSTED = "pbx-untrusted";
    /** A certificate the edge trusts that names another host ({@link #OTHER_HOST_NAME}) than the trunk's 127.0.0.1. */
    public static final String OTHER_HOST = "pbx-other-host";
    public static final String OTHER_HOST_NAME = "DNS:pbx.other-host.example";

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = super.start();
        TestCertificates.assumeAvailable();
        cfg.put("webcall.edge.sip.tls.trust-certificates", TestCertificates.certificate(TRUSTED) + ","
                + TestCertificates.certificate(OTHER_HOST, OTHER_HOST_NAME));
        cfg.put("webcall.edge.sip.tls.listen", "true");
        cfg.put("webcall.edge.sip.tls.port", "0");
        cfg.put("webcall.edge.sip.tls.certificate", TestCertificates.certificate("edge").toString());
        cfg.put("webcall.edge.sip.tls.key", TestCertificates.key("edge").toString());
        return cfg;
    }
}
