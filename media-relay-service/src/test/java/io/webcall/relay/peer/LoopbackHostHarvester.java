package io.webcall.relay.peer;

import org.ice4j.Transport;
import org.ice4j.ice.Component;
import org.ice4j.ice.ComponentSocket;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

/**
 * Gathers one host candidate on 127.0.0.1 for the test peer's agent (ice4j's own host harvester skips
 * loopback interfaces), registered with the agent's STUN stack and component socket like a regular one.
 */
final class LoopbackHostHarvester implements CandidateHarvester {

    private final HarvestStatistics statistics = new HarvestStatistics();
    /** The local port to bind, 0 for any. */
    private final int port;

    LoopbackHostHarvester() {
        this(0);
    }

    /** A harvester that binds the given local port (a peer that keeps its port across an ICE restart). */
    LoopbackHostHarvester(int port) {
        this.port = port;
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        try {
            MultiplexingDatagramSocket socket = new MultiplexingDatagramSocket(port, InetAddress.getLoopbackAddress());
            IceUdpSocketWrapper wrapper = new IceUdpSocketWrapper(socket);
            HostCandidate candidate = new HostCandidate(wrapper, component, Transport.UDP);
            component.addLocalCandidate(candidate);
            candidate.getStunStack().addSocket(candidate.getStunSocket(null));
            ComponentSocket componentSocket = component.getComponentSocket();
            if (componentSocket != null) {
                componentSocket.add(wrapper);
            }
            return List.of(candidate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return statistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }
}
