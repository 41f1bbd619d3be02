package io.webcall.signaling.testsupport;

import java.util.List;
import java.util.Map;

/**
 * Like {@link AnchoredEdgeTestResource}, with the edge asking a dnsmasq of its own for trunk domains: the domain
 * {@link #DOMAIN} has a {@code _sip._udp} SRV record pointing at {@code pbx-host.webcall.test}:{@link #sippPort} (an
 * address record for 127.0.0.1), where the test's sipp listens, and {@link #TCP_DOMAIN} two {@code _sip._tcp} records.
 */
public class DnsTrunkEdgeTestResource extends AnchoredEdgeTestResource {

    /** The trunk's domain, given without a port. */
    public static final String DOMAIN = "pbx.webcall.test";
    /** The UDP port the SRV record names. */
    public static volatile int sippPort;
    /** A domain whose {@code _sip._tcp} records name, first, a port where nothing listens, then {@link #sippTcpPort}. */
    public static final String TCP_DOMAIN = "pbx-tcp.webcall.test";
    public static volatile int sippTcpPort;
    private Dnsmasq dns;

    @Override
    public Map<String, String> start() {
        Map<String, String> cfg = super.start();
        Dnsmasq.assumeAvailable();
        sippPort = Sipp.freeUdpPort();
        sippTcpPort = Sipp.freeTcpPort();
        int refused = Sipp.freeTcpPort();
        dns = Dnsmasq.start(List.of(
                "--srv-host=_sip._udp." + DOMAIN + ",pbx-host.webcall.test," + sippPort + ",10,0",
                "--srv-host=_sip._tcp." + TCP_DOMAIN + ",pbx-host.webcall.test," + refused + ",10,0",
                "--srv-host=_sip._tcp." + TCP_DOMAIN + ",pbx-host.webcall.test," + sippTcpPort + ",20,0",
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
