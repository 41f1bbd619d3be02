package io.webcall.account.tenant;

import io.webcall.account.config.AccountConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The addresses a PBX trunk's host name stands for. A request from a PBX is known by its source IP address
 * (RFC 3261 section 18.2.1), while a trunk may be configured as {@code sip:pbx.example.com}: the name is
 * resolved (A and AAAA records, as the JDK resolver returns them) and the answer remembered for
 * {@code webcall.pbx.address-cache-ttl}, failures included. Names are resolved in parallel and a look-up
 * waits at most {@code webcall.pbx.resolve-timeout}: a name whose answer is late matches nothing this time.
 */
@ApplicationScoped
public class PbxHostResolver {

    private static final Logger LOG = Logger.getLogger(PbxHostResolver.class);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private record Resolution(long expiresAt, CompletableFuture<Set<InetAddress>> addresses) {
    }

    private final AccountConfig.Pbx config;
    private final Map<String, Resolution> cache = new ConcurrentHashMap<>();
    private final ExecutorService resolvers = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "pbx-host-resolver");
        t.setDaemon(true);
        return t;
    });

    public PbxHostResolver(AccountConfig config) {
        this.config = config.pbx();
    }

    /** The address of an IP literal (IPv6 with or without brackets); null for a host name. No DNS look-up. */
    public static InetAddress literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (!bare.contains(":") && !IPV4.matcher(bare).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * Which of {@code hostNames} resolve to {@code address}, within the time budget. IP literals among the
     * names are compared directly.
     */
    public Set<String> resolvingTo(Collection<String> hostNames, InetAddress address) {
        Map<String, CompletableFuture<Set<InetAddress>>> pending = new HashMap<>();
        for (String name : hostNames) {
            pending.putIfAbsent(name, resolve(name));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(pending.values().toArray(CompletableFuture[]::new));
        try {
            all.get(config.resolveTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.debugf("PBX host names still resolving after %s; those match nothing this time", config.resolveTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // a failed resolution is an empty set, never an exception
        }
        Set<String> matching = new java.util.TreeSet<>();
        pending.forEach((name, f) -> {
            if (f.isDone() && !f.isCompletedExceptionally() && f.join().contains(address)) {
                matching.add(name);
            }
        });
        return matching;
    }

    private CompletableFuture<Set<InetAddress>> resolve(String name) {
        InetAddress literal = literal(name);
        if (literal != null) {
            return CompletableFuture.completedFuture(Set.of(literal));
        }
        long now = System.nanoTime();
        Resolution cached = cache.get(name);
        if (cached != null && (cached.expiresAt - now > 0 || !cached.addresses.isDone())) {
            return cached.addresses;
        }
        CompletableFuture<Set<InetAddress>> f = CompletableFuture.supplyAsync(() -> lookUp(name), resolvers);
        cache.put(name, new Resolution(now + config.addressCacheTtl().toNanos(), f));
        return f;
    }

    private static Set<InetAddress> lookUp(String name) {
        try {
            return Set.copyOf(List.of(InetAddress.getAllByName(name)));
        } catch (UnknownHostException | SecurityException e) {
            LOG.debugf("PBX host %s does not resolve: %s", name, e.getMessage());
            return Set.of();
        }
    }

    @PreDestroy
    void stop() {
        resolvers.shutdownNow();
    }
}
