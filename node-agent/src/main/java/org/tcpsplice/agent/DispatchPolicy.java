package org.tcpsplice.agent;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Whether a request for another node is handed off or relayed (patent Fig. 6, step 630: the node
 * uses what it knows of the request and of the nodes). A handoff costs the machine far more than
 * relaying one short response over a connection kept to the other node (docs/benchmarks/), so under
 * {@link AgentConfig#DISPATCH_ADAPTIVE} a connection is handed off only where that pays: once it has
 * settled on the other node ({@code afterRequests} requests for it in a row), or for a path whose
 * response was long ({@code aboveBytes} or more) when this node last relayed it. Under
 * {@link AgentConfig#DISPATCH_ALWAYS} every request for another node is handed off.
 *
 * <p>One per agent, shared by its connections' threads and the keep-alive loop; each connection keeps
 * its own {@link Run}, which goes with it between them.
 */
final class DispatchPolicy {
    /** Paths whose response lengths are remembered, least recently used first out. */
    static final int REMEMBERED_PATHS = 4096;

    private final boolean always;
    private final boolean relayOnly;
    private final long aboveBytes;
    private final int afterRequests;
    private final Map<String, Long> lengths = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > REMEMBERED_PATHS;
        }
    };

    DispatchPolicy(AgentConfig config) {
        this.always = AgentConfig.DISPATCH_ALWAYS.equals(config.dispatch);
        this.relayOnly = config.relayOnly;
        this.aboveBytes = config.handoffAboveBytes;
        this.afterRequests = config.handoffAfterRequests;
    }

    /**
     * The requests of one connection, by the node each was for, and the nodes that refused its handoff
     * (a refusal stands, and asking costs a POST and a new connection per request: those requests are
     * relayed). Used by one thread at a time: the connection's handler or the keep-alive loop.
     */
    static final class Run {
        private String node;
        private int length;
        private final Set<String> refused = new HashSet<>();

        /** Counts a request for {@code target}; returns how many in a row were for it, this one included. */
        int next(String target) {
            length = peek(target);
            node = target;
            return length;
        }

        /** What {@link #next} would return, without counting the request. */
        int peek(String target) {
            return target.equals(node) ? length + 1 : 1;
        }

        void refused(String target) {
            refused.add(target);
        }
    }

    /**
     * Whether the connection's next request, for {@code target} (another node), is handed off; the
     * request is not counted ({@link Run#next} does that).
     */
    boolean handsOff(String path, String target, Run run) {
        return !relayOnly && !run.refused.contains(target) && handsOff(path, run.peek(target));
    }

    /** Whether a request for another node is handed off: {@code inRow} as {@link Run#next} returned it. */
    boolean handsOff(String path, int inRow) {
        if (always || inRow >= afterRequests) {
            return true;
        }
        Long length;
        synchronized (lengths) {
            length = lengths.get(path);
        }
        return length != null && length >= aboveBytes;
    }

    /** What a relayed response to {@code path} was: its length in bytes, or -1 where it had none. */
    void relayed(String path, long length) {
        if (length < 0) {
            return;
        }
        synchronized (lengths) {
            lengths.put(path, length);
        }
    }
}
