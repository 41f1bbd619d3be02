package io.webcall.relay.ice;

import org.ice4j.TransportAddress;
import org.ice4j.ice.Agent;
import org.ice4j.ice.Component;
import org.ice4j.ice.IceProcessingState;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.SinglePortUdpHarvester;
import org.ice4j.util.Buffer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The harvester of the shared WebRTC port. ice4j binds a remote address to the agent named by the USERNAME
 * of the first Binding request that comes from it, for good: every later datagram from that address goes to
 * that agent, whatever USERNAME it carries. An agent that already has its selected pair therefore takes no
 * new remote address here. During an ICE restart the browser checks from its new-generation candidates
 * with the old credentials until the answer reaches it (RFC 8445 section 9: the old remote candidates are
 * still paired), sometimes before the relay has even seen the restart offer; bound to the old agent, such
 * an address would never reach the new agent, whose checks it then answers with 401 (RFC 8445 section
 * 7.3.1.1). Refused, the browser's checks with the new credentials open the address for the new agent.
 * ice4j itself stops answering checks from new addresses once an agent has terminated.
 *
 * <p>A browser that restarts ICE and keeps its port checks with the new credentials from an address the old
 * agent holds; once the relay owns the port, {@link AddressBindings} hands such checks to the restarted agent.
 */
public final class SharedPortHarvester extends SinglePortUdpHarvester {

    private static final Logger LOG = Logger.getLogger(SharedPortHarvester.class);

    /** Agents by local ufrag, to know whether the agent a new remote address asks for is established. */
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();

    /** ice4j's address table once the relay owns the port (null before). */
    private volatile AddressBindings bindings;
    /** Agents not started yet, by local ufrag: what starts each when its first Binding request arrives. */
    private final Map<String, Runnable> deferredStarts = new ConcurrentHashMap<>();
    /** Local ufrags of agents that got a check before their start was set up (the peer was quicker than the SDP). */
    private final Set<String> checkedEarly = ConcurrentHashMap.newKeySet();

    public SharedPortHarvester(TransportAddress localAddress) throws IOException {
        super(localAddress);
    }

    /** From now on sockets this harvester accepts are recorded in {@code table} (ice4j's address table). */
    void useBindings(AddressBindings table) {
        this.bindings = table;
    }

    /**
     * Runs {@code start} when the first Binding request naming local ufrag {@code ufrag} arrives on the port, on
     * ice4j's listener thread before ice4j handles that request. False (nothing registered) when the relay does not
     * read the port, so nothing would see the request first: then the caller starts the agent itself.
     */
    boolean startOnFirstCheck(String ufrag, Runnable start) {
        if (bindings == null || checkedEarly.remove(ufrag)) {
            return false;  // or the peer checked before its credentials reached the relay: start now, as ice4j expects
        }
        deferredStarts.put(ufrag, start);
        if (checkedEarly.remove(ufrag) && deferredStarts.remove(ufrag) != null) {
            return false;  // a check came in meanwhile
        }
        return true;
    }

    /** Forgets what waits for an agent's first check (the agent is closed). */
    void cancelStart(String ufrag) {
        deferredStarts.remove(ufrag);
        checkedEarly.remove(ufrag);
    }

    /**
     * A datagram ice4j is about to handle: if it is a Binding request for an agent that waits for its first check,
     * that agent starts now (RFC 8445 section 7.3: the check is then answered by a running agent, as if it had been
     * started at the offer).
     */
    void beforeDispatch(byte[] data, int len) {
        if (deferredStarts.isEmpty()) {
            return;
        }
        String ufrag = StunMessages.bindingRequestUfrag(data, 0, len);
        if (ufrag != null) {
            Runnable start = deferredStarts.remove(ufrag);
            if (start != null) {
                start.run();
            }
        }
    }

    /** Whether the agent with this local ufrag is live and may still learn a new remote address. */
    boolean takesNewAddress(String ufrag) {
        Agent agent = agents.get(ufrag);
        if (agent == null) {
            return false;
        }
        IceProcessingState state = agent.getState();
        return agent.getStreamCount() > 0 && state != null && !state.isEstablished()
                && state != IceProcessingState.FAILED;
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        // forget freed agents (ice4j removes their streams)
        agents.values().removeIf(a -> a.getStreamCount() == 0);
        Agent agent = component.getParentStream().getParentAgent();
        agents.put(agent.getLocalUfrag(), agent);
        return super.harvest(component);
    }

    @Override
    protected MySocket maybeAcceptNewSession(Buffer buf, InetSocketAddress remoteAddress, String ufrag) {
        Agent agent = agents.get(ufrag);
        IceProcessingState state = agent == null ? null : agent.getState();
        if (state != null && state.isEstablished()) {
            LOG.debugf("check from new address %s for established agent %s ignored", remoteAddress, ufrag);
            return null;
        }
        if (state == IceProcessingState.WAITING && !deferredStarts.containsKey(ufrag)) {
            checkedEarly.add(ufrag);
        }
        MySocket socket = super.maybeAcceptNewSession(buf, remoteAddress, ufrag);
        AddressBindings table = bindings;
        if (socket != null && table != null) {
            table.accepted(remoteAddress, ufrag, socket);
        }
        return socket;
    }
}
