package io.webcall.signaling.transport;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.SrvRecord;
import io.webcall.signaling.EdgeConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Where a request for a PBX trunk goes (RFC 3263 section 4.2): a trunk given by a domain without a port is looked up
 * in DNS as {@code _sip._udp}, {@code _sip._tcp} or {@code _sips._tcp} SRV records of that domain for its transport;
 * the record with the lowest priority is used, by weight among equals (RFC 2782), and its target's address; for TCP
 * and TLS a record whose server cannot be connected to gives way to the next (section 4.3). Without
 * SRV records the domain's own address and the transport's default port (5060, or 5061 for TLS) are used. An IP
 * address or an explicit port is used as it is. A TLS connection still checks the trunk's domain in the PBX's
 * certificate, not the SRV target (RFC 5922 section 4).
 */
@ApplicationScoped
public class SipServerLocator {

    private static final Logger LOG = Logger.getLogger(SipServerLocator.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /** A resolved next hop: the address and port to send to, and the name a TLS certificate must carry. */
    public record Hop(String address, int port, String serverName) {
    }

    @Inject
    Vertx vertx;
    @Inject
    EdgeConfig config;

    private DnsClient dns;
    /** Whether address records are looked up here too (configured servers); otherwise the system resolver does it. */
    private boolean ownAddressLookups;

    @PostConstruct
    void init() {
        long timeout = Math.max(1, config.sip().dnsTimeout().toMillis());
        List<String> servers = config.sip().dnsServers().orElse(List.of());
        if (servers.isEmpty()) {
            dns = vertx.createDnsClient(new DnsClientOptions().setQueryTimeout(timeout));
        } else {
            String server = servers.get(0).trim();
            int colon = server.lastIndexOf(':');
            boolean withPort = colon > 0 && server.indexOf(':') == colon;
            dns = vertx.createDnsClient(new DnsClientOptions().setQueryTimeout(timeout)
                    .setHost(withPort ? server.substring(0, colon) : server)
                    .setPort(withPort ? Integer.parseInt(server.substring(colon + 1)) : 53));
            ownAddressLookups = true;
        }
    }

    /**
     * Opens a flow toward {@code host}, {@code port} (0 when the URI has none) and {@code transport} with {@code connector}.
     * With SRV records, a TCP or TLS connection that cannot be opened moves on to the next record (RFC 3263 section
     * 4.3): lower priority values first, by weight among equals; UDP has no connection to fail, so its first record is
     * used.
     */
    public <T> Future<T> connect(String host, int port, Transport transport, Function<Hop, Future<T>> connector) {
        if (port > 0 || isIpLiteral(host)) {
            return connector.apply(new Hop(host, port > 0 ? port : defaultPort(transport), host));
        }
        String service = (transport == Transport.TLS ? "_sips._tcp." : transport == Transport.TCP ? "_sip._tcp." : "_sip._udp.")
                + host;
        return dns.resolveSRV(service).transform(ar -> {
            if (ar.succeeded() && ar.result() != null && !ar.result().isEmpty()) {
                List<SrvRecord> ordered = order(ar.result());
                return tryRecords(host, service, transport == Transport.UDP ? ordered.subList(0, 1) : ordered, 0, connector);
            }
            // RFC 3263 section 4.2: no SRV records, so the domain's own address with the transport's default port
            return address(host).compose(a -> connector.apply(new Hop(a, defaultPort(transport), host)));
        });
    }

    private <T> Future<T> tryRecords(String host, String service, List<SrvRecord> records, int index,
                                     Function<Hop, Future<T>> connector) {
        SrvRecord r = records.get(index);
        String target = stripDot(r.target());
        return address(target).compose(a -> connector.apply(new Hop(a, r.port(), host))).recover(e -> {
            if (index + 1 >= records.size()) {
                return Future.failedFuture(e);
            }
            LOG.infof("SRV %s: %s:%d failed (%s), trying the next record", service, target, r.port(), e.getMessage());
            return tryRecords(host, service, records, index + 1, connector);
        });
    }

    /**
     * RFC 2782: ascending priority; within one priority a weighted random order (each pick by weight among the records
     * not picked yet, records of weight 0 after the others).
     */
    static List<SrvRecord> order(List<SrvRecord> records) {
        List<SrvRecord> sorted = new ArrayList<>(records);
        sorted.sort(Comparator.comparingInt(SrvRecord::priority));
        List<SrvRecord> ordered = new ArrayList<>(sorted.size());
        int i = 0;
        while (i < sorted.size()) {
            int priority = sorted.get(i).priority();
            List<SrvRecord> group = new ArrayList<>();
            while (i < sorted.size() && sorted.get(i).priority() == priority) {
                group.add(sorted.get(i++));
            }
            while (!group.isEmpty()) {
                ordered.add(group.remove(pick(group)));
            }
        }
        return ordered;
    }

    private static int pick(List<SrvRecord> group) {
        int total = group.stream().mapToInt(r -> Math.max(0, r.weight())).sum();
        if (total == 0) {
            return ThreadLocalRandom.current().nextInt(group.size());
        }
        int left = ThreadLocalRandom.current().nextInt(total);
        for (int k = 0; k < group.size(); k++) {
            left -= Math.max(0, group.get(k).weight());
            if (left < 0) {
                return k;
            }
        }
        return group.size() - 1;
    }

    private Future<String> address(String name) {
        if (!ownAddressLookups || isIpLiteral(name)) {
            return Future.succeededFuture(name);
        }
        return dns.resolveA(name).compose(list -> list == null || list.isEmpty()
                ? Future.failedFuture("no address for " + name) : Future.succeededFuture(list.get(0)));
    }

    static int defaultPort(Transport transport) {
        return transport == Transport.TLS ? 5061 : 5060;
    }

    static boolean isIpLiteral(String host) {
        return host.indexOf(':') >= 0 || host.startsWith("[") || IPV4.matcher(host).matches();
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
