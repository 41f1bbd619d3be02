package io.webcall.signaling.testsupport;

import java.util.List;
import java.util.Map;

/**
 * Like {@link AnchoredEdgeTestResource}, with the edge asking a dnsmasq of its own for trunk domains: the domain
 * {@link #DOMAIN} has a {@code _sip._udp} SRV record pointing at {@code pbx-host.webcall.test}:{@link #sippPort} (an
 * address record for 127.0.0.1), where the test's sipp listens.
 */
public class DnsTrunkEdgeTestResource extends AnchoredEdgeTestResource {

    /** The trunk's domain, given without a port. */
    public static final String DOMAIN = "pbx.webcall.test";
    /** The UDP port the SRV record names. */
    public static volatile int sippPort;
    private Dnsmasq dns;

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = super.start();
        Dnsmasq.assumeAvailable();
        sippPort = Sipp.freeUdpPort();
        dns = Dnsmasq.start(List.of(
                "--srv-host=_sip._udp." + DOMAIN + ",pbx-host.webcall.test," + sippPort + ",10,0",
                "--host-record=pbx-host.webcall.test,127.0.0.1"));
        cfg.put("webcall.edge.sip.dns-servers", dns.server());
        return cfg;
    }

    @Override
    public void stop() {
        if (dns != null) {
            dns.close();
        }
    }
}
