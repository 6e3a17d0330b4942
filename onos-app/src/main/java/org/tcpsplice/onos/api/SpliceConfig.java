package org.tcpsplice.onos.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.config.Config;
import org.tcpsplice.core.engine.Node;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.net.MacAddress;

/**
 * The application's network configuration ({@code apps -> org.tcpsplice.app -> tcpsplice}):
 * <pre>
 * { "device": "of:0000000000000001", "vip": "10.0.0.100", "port": 80, "vipMac": "02:00:00:00:00:fe",
 *   "nodes": [ { "id": "node1", "ip": "10.0.0.11", "mac": "02:00:00:00:01:01", "switchPort": 3 } ],
 *   "fastPathAgent": { "url": "http://127.0.0.1:6680", "secretFile": "/etc/tcpsplice/fast-path.secret" } }
 * </pre>
 * {@code fastPathAgent} is optional: with it, the app writes the XDP fast path's map through the
 * switch-host agent instead of installing per-splice rules (docs/onos.md).
 */
public final class SpliceConfig extends Config<ApplicationId> {
    public static final String KEY = "tcpsplice";
    private static final String DEVICE = "device";
    private static final String VIP = "vip";
    private static final String PORT = "port";
    private static final String VIP_MAC = "vipMac";
    private static final String NODES = "nodes";
    private static final String FAST_PATH_AGENT = "fastPathAgent";
    private static final String DEFAULT_VIP_MAC = "02:00:00:00:00:fe";

    @Override
    public boolean isValid() {
        if (!hasOnlyFields(DEVICE, VIP, PORT, VIP_MAC, NODES, FAST_PATH_AGENT) || get(DEVICE, null) == null || get(VIP, null) == null) {
            return false;
        }
        try {
            device();
            vip();
            vipMac();
            int port = servicePort();
            List<Node> nodes = nodes();
            fastPathAgent();
            return port > 0 && port < 65536 && !nodes.isEmpty();
        } catch (IllegalArgumentException | NullPointerException e) {
            return false;
        }
    }

    public DeviceId device() {
        return DeviceId.deviceId(get(DEVICE, null));
    }

    public int vip() {
        return Ipv4.parse(get(VIP, null));
    }

    public int servicePort() {
        return get(PORT, 80);
    }

    public long vipMac() {
        return MacAddress.parse(get(VIP_MAC, DEFAULT_VIP_MAC));
    }

    /** The nodes in the configuration's order (round-robin follows it). */
    public List<Node> nodes() {
        List<Node> nodes = new ArrayList<>();
        for (JsonNode n : object.path(NODES)) {
            String id = n.path("id").asText(null);
            int port = n.path("switchPort").asInt(0);
            if (id == null || port < 1) {
                throw new IllegalArgumentException("every node needs an id and a switchPort");
            }
            nodes.add(new Node(id, Ipv4.parse(n.path("ip").asText("")), MacAddress.parse(n.path("mac").asText("")), port));
        }
        return nodes;
    }

    /** The switch-host agent's address and the file of the secret shared with it, or null (no fast path). */
    public FastPathAgent fastPathAgent() {
        JsonNode a = object.path(FAST_PATH_AGENT);
        if (a.isMissingNode()) {
            return null;
        }
        String url = a.path("url").asText("");
        String secretFile = a.path("secretFile").asText("");
        java.net.URI uri = java.net.URI.create(url);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || secretFile.isEmpty() || a.size() != 2) {
            throw new IllegalArgumentException(FAST_PATH_AGENT + " needs exactly a url (http://HOST:PORT) and a secretFile");
        }
        return new FastPathAgent(uri, secretFile);
    }

    /** Where the switch-host agent listens, and the secret's file (readable by its owner only). */
    public static final class FastPathAgent {
        public final java.net.URI url;
        public final String secretFile;

        FastPathAgent(java.net.URI url, String secretFile) {
            this.url = url;
            this.secretFile = secretFile;
        }
    }
}
