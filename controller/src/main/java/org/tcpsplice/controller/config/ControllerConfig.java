package org.tcpsplice.controller.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.net.MacAddress;

/**
 * The controller's configuration file (JSON). Every field is documented in docs/configuration.md; a wrong or
 * missing one stops the controller at start with a message naming it.
 */
public final class ControllerConfig {
    /** OpenFlow listen address, "host:port" (default 0.0.0.0:6653). */
    public String openflow = "0.0.0.0:6653";
    /** REST API listen address, on the management network, never the VIP network (default 127.0.0.1:8181). */
    public String rest = "127.0.0.1:8181";
    /** Secret for operator calls (DELETE /splices); at least 16 characters. */
    public String adminToken;
    public Service service = new Service();
    /** "round-robin" (the patent's default) or "least-connections". */
    public String policy = "round-robin";
    public List<Node> nodes = new ArrayList<>();
    /** Splice journal (survives restarts). */
    public String store = "/var/lib/tcpsplice/splices.journal";
    /** Patent's TCP_WAIT: idle splices are removed after this. */
    public int idleTimeoutSeconds = 300;
    public int closeLingerSeconds = 10;
    /** Idle timeout of the per-connection rules that steer unspliced connections to their node. */
    public int connectionIdleSeconds = 300;
    /**
     * The XDP fast path's map, pinned by {@code dataplane/xdp-offload.sh load} on this host (usually
     * /sys/fs/bpf/tcpsplice/maps/splice_entries). Empty: no fast path. Set but not there: the
     * controller says so and runs on the slow path.
     */
    public String fastPathMap = "";

    /** The virtual service clients connect to. */
    public static final class Service {
        public String vip;
        public int port = 80;
        /** The MAC the controller answers ARP for the VIP with. */
        public String mac = "02:00:00:00:00:fe";
    }

    /** A back-end node. */
    public static final class Node {
        public String id;
        /** The node's own address (it also holds the VIP on its loopback, ARP suppressed). */
        public String ip;
        public String mac;
        /** The switch port the node is attached to. */
        public int switchPort;
        /** The node's secret for the REST API; at least 16 characters. */
        public String token;
    }

    public static ControllerConfig load(Path file) throws IOException {
        ControllerConfig c = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .readValue(file.toFile(), ControllerConfig.class);
        c.validate();
        return c;
    }

    /** Throws IllegalArgumentException naming the first wrong field. */
    public void validate() {
        address(openflow, "openflow");
        address(rest, "rest");
        if (service == null || service.vip == null) {
            throw new IllegalArgumentException("service.vip is required");
        }
        Ipv4.parse(service.vip);
        MacAddress.parse(service.mac);
        if (service.port < 1 || service.port > 65535) {
            throw new IllegalArgumentException("service.port must be 1..65535");
        }
        if (!policy.equals("round-robin") && !policy.equals("least-connections")) {
            throw new IllegalArgumentException("policy must be round-robin or least-connections, not " + policy);
        }
        if (nodes == null || nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes: at least one node is required");
        }
        Set<String> ids = new HashSet<>();
        Set<Integer> ips = new HashSet<>();
        for (Node n : nodes) {
            String where = "nodes[" + n.id + "]";
            if (n.id == null || !ids.add(n.id)) {
                throw new IllegalArgumentException("nodes: every node needs a unique id");
            }
            if (n.ip == null || !ips.add(Ipv4.parse(n.ip))) {
                throw new IllegalArgumentException(where + ".ip is missing or repeated");
            }
            MacAddress.parse(n.mac == null ? "" : n.mac);
            if (n.switchPort < 1) {
                throw new IllegalArgumentException(where + ".switchPort must be a switch port number (1 or more)");
            }
        }
        if (idleTimeoutSeconds < 1 || closeLingerSeconds < 0 || connectionIdleSeconds < 1) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static InetSocketAddress address(String hostPort, String field) {
        int colon = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(field + " must be host:port, not " + hostPort);
        }
        try {
            return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be host:port, not " + hostPort, e);
        }
    }

    /** Node id to token, for the API's credentials. */
    public Map<String, String> nodeTokens() {
        Map<String, String> tokens = new LinkedHashMap<>();
        nodes.forEach(n -> tokens.put(n.id, n.token));
        return tokens;
    }
}
