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
    /** Bindings by the flow they registered over (key -> binding), so a closing connection finds its own directly. */
    private final Map<String, Map<String, Binding>> byFlow = new ConcurrentHashMap<>();
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
        String key = b.key();
        synchronized (this) {
            Binding old = byAor.computeIfAbsent(b.aor().toLowerCase(), k -> new ConcurrentHashMap<>()).put(key, b);
            if (old != null) {
                unindex(old, key);
            }
            if (b.flowId() != null) {
                byFlow.computeIfAbsent(b.flowId(), k -> new ConcurrentHashMap<>()).put(key, b);
            }
        }
        if (publish) {
            fire(new BindingChange(b, false));
        }
    }

    public void remove(Binding b, boolean publish) {
        String key = b.key();
        boolean removed;
        synchronized (this) {
            Map<String, Binding> m = byAor.get(b.aor().toLowerCase());
            Binding old = m == null ? null : m.remove(key);
            removed = old != null;
            if (removed) {
                unindex(old, key);
                if (m.isEmpty()) {
                    byAor.remove(b.aor().toLowerCase(), m);
                }
            }
        }
        if (removed) {
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
        synchronized (this) {
            Map<String, Binding> m = byAor.get(key.substring(0, bar).toLowerCase());
            Binding old = m == null ? null : m.remove(key);
            if (old != null) {
                unindex(old, key);
            }
        }
    }

    private void unindex(Binding b, String key) {
        if (b.flowId() == null) {
            return;
        }
        Map<String, Binding> f = byFlow.get(b.flowId());
        if (f != null && f.remove(key, b) && f.isEmpty()) {
            byFlow.remove(b.flowId(), f);
        }
    }

    /** Removes every binding that registered over the given flow (the WebSocket closed). */
    public List<Binding> removeFlow(String flowId) {
        Map<String, Binding> f = byFlow.get(flowId);
        if (f == null) {
            return List.of();
        }
        List<Binding> removed = new ArrayList<>(f.values());
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
