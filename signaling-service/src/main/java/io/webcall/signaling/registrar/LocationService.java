package io.webcall.signaling.registrar;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Bindings by address-of-record: this edge's own ones and those other edge instances published. Expired
 * bindings are never returned and are removed by {@link #expire(long)}.
 */
@ApplicationScoped
public class LocationService {

    private final Map<String, Map<String, Binding>> byAor = new ConcurrentHashMap<>();
    private final List<Consumer<BindingChange>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A binding was added/refreshed ({@code removed == false}) or removed. */
    public record BindingChange(Binding binding, boolean removed) {
    }

    public void addListener(Consumer<BindingChange> listener) {
        listeners.add(listener);
    }

    public List<Binding> lookup(String aor) {
        Map<String, Binding> m = byAor.get(aor.toLowerCase());
        if (m == null) {
            return List.of();
        }
        long now = System.currentTimeMillis();
        List<Binding> out = new ArrayList<>(m.size());
        for (Binding b : m.values()) {
            if (b.expiresAt() > now) {
                out.add(b);
            }
        }
        return out;
    }

    /** Adds or replaces a binding; {@code publish} tells listeners (false for bindings learnt from other edges). */
    public void put(Binding b, boolean publish) {
        byAor.computeIfAbsent(b.aor().toLowerCase(), k -> new ConcurrentHashMap<>()).put(b.key(), b);
        if (publish) {
            fire(new BindingChange(b, false));
        }
    }

    public void remove(Binding b, boolean publish) {
        Map<String, Binding> m = byAor.get(b.aor().toLowerCase());
        if (m != null && m.remove(b.key()) != null) {
            if (m.isEmpty()) {
                byAor.remove(b.aor().toLowerCase(), m);
            }
            if (publish) {
                fire(new BindingChange(b, true));
            }
        }
    }

    /** Removes a binding by its key (tombstone from another edge). */
    public void removeKey(String key) {
        int bar = key.indexOf('|');
        if (bar < 0) {
            return;
        }
        Map<String, Binding> m = byAor.get(key.substring(0, bar).toLowerCase());
        if (m != null) {
            m.remove(key);
        }
    }

    /** Removes every binding that registered over the given flow (the WebSocket closed). */
    public List<Binding> removeFlow(String flowId) {
        List<Binding> removed = new ArrayList<>();
        for (Map<String, Binding> m : byAor.values()) {
            for (Binding b : m.values()) {
                if (flowId.equals(b.flowId())) {
                    removed.add(b);
                }
            }
        }
        removed.forEach(b -> remove(b, true));
        return removed;
    }

    /** Drops expired bindings; own ones are announced as removed. */
    public void expire(long nowMillis, String ownEdgeId) {
        List<Binding> expired = new ArrayList<>();
        for (Map<String, Binding> m : byAor.values()) {
            for (Binding b : m.values()) {
                if (b.expiresAt() <= nowMillis) {
                    expired.add(b);
                }
            }
        }
        expired.forEach(b -> remove(b, ownEdgeId.equals(b.edgeId())));
    }

    public int size() {
        return byAor.values().stream().mapToInt(Map::size).sum();
    }

    public Collection<Map<String, Binding>> all() {
        return byAor.values();
    }

    private void fire(BindingChange c) {
        for (Consumer<BindingChange> l : listeners) {
            l.accept(c);
        }
    }
}
