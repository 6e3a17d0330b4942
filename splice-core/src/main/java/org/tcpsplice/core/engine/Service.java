package org.tcpsplice.core.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcpsplice.core.distribution.LeastConnectionsDistribution;
import org.tcpsplice.core.distribution.NodeDistribution;
import org.tcpsplice.core.distribution.RoundRobinDistribution;
import org.tcpsplice.core.teardown.TeardownPolicy;

/**
 * The distributed service as configured: its VIP, port and the MAC the controller answers ARP with,
 * its nodes in the configuration's order (which round-robin follows), the distribution policy, and
 * the timers. Immutable; a controller whose configuration changes hands the engine a new one. With no
 * nodes (not configured yet) nothing is distributed.
 */
public final class Service {
    public static final String ROUND_ROBIN = "round-robin";
    public static final String LEAST_CONNECTIONS = "least-connections";

    public final int vip;
    public final int port;
    public final long vipMac;
    public final List<Node> nodes;
    public final String policy;
    public final TeardownPolicy teardown;
    /** Idle timeout of a connection's steering flows on the switch, in seconds. */
    public final int connectionIdleSeconds;
    /** How long a handoff waits for the switch to confirm its rules before it is undone. */
    public final long confirmTimeoutMillis;
    private final Map<String, Node> byId = new LinkedHashMap<>();
    private final Map<Integer, Node> byIp = new LinkedHashMap<>();

    public Service(int vip, int port, long vipMac, List<Node> nodes, String policy, TeardownPolicy teardown,
                   int connectionIdleSeconds, long confirmTimeoutMillis) {
        if (!ROUND_ROBIN.equals(policy) && !LEAST_CONNECTIONS.equals(policy)) {
            throw new IllegalArgumentException("policy must be " + ROUND_ROBIN + " or " + LEAST_CONNECTIONS
                    + ", not " + policy);
        }
        if (connectionIdleSeconds < 1 || confirmTimeoutMillis < 1) {
            throw new IllegalArgumentException("the connection idle timeout and the confirm timeout must be positive");
        }
        this.vip = vip;
        this.port = port;
        this.vipMac = vipMac;
        this.nodes = Collections.unmodifiableList(new ArrayList<>(nodes));
        this.policy = policy;
        this.teardown = teardown;
        this.connectionIdleSeconds = connectionIdleSeconds;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        for (Node n : nodes) {
            if (byId.put(n.id, n) != null || byIp.put(n.ip, n) != null) {
                throw new IllegalArgumentException("two nodes share the id or address of " + n);
            }
        }
    }

    public Node byId(String id) {
        return id == null ? null : byId.get(id);
    }

    public Node byIp(int ip) {
        return byIp.get(ip);
    }

    /** A new distribution of this service's connections (Fig. 4, 433), by the configured policy. */
    NodeDistribution distribution() {
        if (nodes.isEmpty()) {
            return clientToService -> NodeDistribution.NOT_DISTRIBUTED;
        }
        List<Integer> ips = new ArrayList<>(byIp.keySet());
        return LEAST_CONNECTIONS.equals(policy) ? new LeastConnectionsDistribution(vip, port, ips)
                : new RoundRobinDistribution(vip, port, ips);
    }
}
