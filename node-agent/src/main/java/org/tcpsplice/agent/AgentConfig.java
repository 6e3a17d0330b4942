package org.tcpsplice.agent;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcpsplice.core.net.Ipv4;

/** The node agent's configuration file (JSON); a wrong field stops the agent at start, named. */
public final class AgentConfig {
    private static final String UNIX_PREFIX = "unix:";
    static final String DISPATCH_ADAPTIVE = "adaptive";
    static final String DISPATCH_ALWAYS = "always";

    /** This node's id, as in the controller's configuration. */
    public String nodeId;
    /** This node's own address on the data network (new connections to other nodes start here). */
    public String nodeIp;
    /** Where clients (the VIP) and other nodes connect: "0.0.0.0:80". */
    public String listen = "0.0.0.0:80";
    /**
     * The node's own web server (nginx), which serves what this node keeps: "host:port", or
     * "unix:/path" for a Unix socket (cheaper per request than TCP over loopback; docs/benchmarks/2026-12-02.md).
     */
    public String webServer = "127.0.0.1:8080";
    /** The controller's REST API, on the management network. */
    public String controller;
    /**
     * Instead of {@link #controller}, the API at each instance of a controller cluster (ONOS), tried in
     * turn: only the switch's master takes handoffs (ControllerClient).
     */
    public List<String> controllers;
    /** This node's secret for the standalone controller's REST API (sent as a bearer token). */
    public String token;
    /**
     * Instead of a token, an account for HTTP Basic: "user:password". ONOS's REST API authenticates its
     * own users this way; the user's name must be this node's id (docs/onos.md, node accounts).
     */
    public String controllerLogin;
    /** Every node: id to its data-network IP (the port is the listen port, or handoffTargetPort). */
    public Map<String, String> nodes = new LinkedHashMap<>();
    /** Content rules, first match wins; a path no rule matches is served here. */
    public List<Rule> rules = new ArrayList<>();
    /** Set to false to serve everything locally (no handoffs). */
    public boolean handoffs = true;
    /**
     * Set to true to relay requests for other nodes through this node instead of handing them off: the
     * node acts as a user-space L7 proxy. A baseline for benchmarks (docs/benchmarks/2026-12-02.md).
     */
    public boolean relayOnly = false;
    /**
     * How a request for another node is dispatched (DispatchPolicy): "adaptive" relays it over a
     * connection kept to that node, and hands the connection off once it has asked that node
     * {@link #handoffAfterRequests} times in a row, or for a path whose response was at least
     * {@link #handoffAboveBytes} long when this node last relayed it; "always" hands off every one.
     */
    public String dispatch = DISPATCH_ADAPTIVE;
    /** Under "adaptive": a path whose relayed response was at least this long (head and body) is handed off. */
    public long handoffAboveBytes = 1 << 20;
    /** Under "adaptive": a connection that asked one other node this many times in a row is handed off to it. */
    public int handoffAfterRequests = 8;
    /**
     * The port that connections handed to another node go to there. Unset: the target's agent (the
     * listen port), which serves each request through its web server and can hand the connection on
     * again (the Fig. 2 chain). Set to the web servers' port (8080): the target's web server gets the
     * connection itself, so no agent relays its responses (faster), but the connection stays there
     * for good: that web server must answer every path the client may ask for on it.
     */
    public Integer handoffTargetPort;
    /**
     * The port that requests relayed to another node go to there. Unset: the handoff target's port (the
     * target's agent unless {@link #handoffTargetPort} says otherwise). Set to the web servers' port
     * (8080), as a proxy's backends are: the other node's web server answers, and its agent does not
     * relay the answer a second time. The web servers must then listen on the nodes' data addresses.
     */
    public Integer relayPort;
    /**
     * Response bodies of 64 KiB and more go from the web server's socket to the client's in the kernel
     * (splice(2)). Set to false to copy them through the agent, as a baseline.
     */
    public boolean kernelRelay = true;
    /**
     * Keep-alive connections wait between requests in one event-loop thread, which also serves their
     * requests for this node that have short responses (KeepAliveLoop). Set to false to keep a thread
     * per connection throughout, as a baseline.
     */
    public boolean keepAliveLoop = true;

    public static final class Rule {
        /** A path prefix, such as "/video/". */
        public String prefix;
        /** The node that serves it. */
        public String node;
    }

    public static AgentConfig load(Path file) throws IOException {
        AgentConfig c = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .readValue(file.toFile(), AgentConfig.class);
        c.validate();
        return c;
    }

    void validate() {
        if (nodeId == null || nodeIp == null) {
            throw new IllegalArgumentException("nodeId and nodeIp are required");
        }
        if ((controller == null) == (controllers == null || controllers.isEmpty())) {
            throw new IllegalArgumentException("give the controller's API once: controller (a URL) or controllers"
                    + " (a list of URLs, one per instance of a cluster)");
        }
        if ((token == null) == (controllerLogin == null)) {
            throw new IllegalArgumentException("give the controller's credentials once: token (standalone controller)"
                    + " or controllerLogin \"user:password\" (ONOS)");
        }
        if (controllerLogin != null && (controllerLogin.indexOf(':') < 1 || !controllerLogin.startsWith(nodeId + ":"))) {
            throw new IllegalArgumentException("controllerLogin: \"" + nodeId + ":password\" expected: the ONOS account"
                    + " of a node is named by its node id");
        }
        Ipv4.parse(nodeIp);
        hostAndPort("listen", listen);
        webServerAddress();
        checkPort("handoffTargetPort", handoffTargetPort);
        checkPort("relayPort", relayPort);
        if (!DISPATCH_ADAPTIVE.equals(dispatch) && !DISPATCH_ALWAYS.equals(dispatch)) {
            throw new IllegalArgumentException("dispatch \"" + dispatch + "\": \"adaptive\" or \"always\"");
        }
        if (handoffAboveBytes < 1 || handoffAfterRequests < 1) {
            throw new IllegalArgumentException("handoffAboveBytes and handoffAfterRequests must be at least 1");
        }
        nodes.forEach((id, ip) -> Ipv4.parse(ip));
        for (Rule r : rules) {
            if (r.prefix == null || !r.prefix.startsWith("/") || !nodes.containsKey(r.node)) {
                throw new IllegalArgumentException("rule " + r.prefix + " -> " + r.node
                        + ": a prefix starts with / and the node must be listed in nodes");
            }
        }
    }

    /** The controller's API: {@link #controller}, or each of {@link #controllers}. */
    List<String> controllerUrls() {
        return controller != null ? List.of(controller) : List.copyOf(controllers);
    }

    /** The Authorization header's value for the controller's REST API. */
    String authorization() {
        return token != null ? "Bearer " + token
                : "Basic " + java.util.Base64.getEncoder().encodeToString(
                        controllerLogin.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static void checkPort(String name, Integer port) {
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException(name + " " + port + " is not a TCP port");
        }
    }

    /** {@link #webServer} as a socket address: a Unix socket's path, or a host and port. */
    SocketAddress webServerAddress() {
        if (webServer.startsWith(UNIX_PREFIX)) {
            String path = webServer.substring(UNIX_PREFIX.length());
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("webServer " + webServer + ": a Unix socket needs an absolute path");
            }
            return UnixDomainSocketAddress.of(path);
        }
        return hostAndPort("webServer", webServer);
    }

    /** "host:port" as an address; {@code field} names the setting in the error. */
    static InetSocketAddress hostAndPort(String field, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            if (colon < 1 || port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(hostPort.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " " + hostPort + ": expected host:port");
        }
    }

    /** The node that serves this request path here: by the content rules, or this node if handoffs are off. */
    String nodeServing(String path) {
        return handoffs ? nodeFor(path) : nodeId;
    }

    /** The node that should serve this request path (patent Fig. 6, step 630): a node id. */
    String nodeFor(String path) {
        for (Rule r : rules) {
            if (path.startsWith(r.prefix)) {
                return r.node;
            }
        }
        return nodeId;
    }
}
