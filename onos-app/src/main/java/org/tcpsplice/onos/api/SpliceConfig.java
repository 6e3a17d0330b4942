package org.tcpsplice.onos.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.onosproject.core.ApplicationId;
import org.onosproject.net.DeviceId;
import org.onosproject.net.config.Config;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.net.MacAddress;

/**
 * The application's network configuration ({@code apps -> org.tcpsplice.app -> tcpsplice}):
 * <pre>
 * { "device": "of:0000000000000001", "vip": "10.0.0.100", "port": 80, "vipMac": "02:00:00:00:00:fe",
 *   "nodes": [ { "id": "node1", "ip": "10.0.0.11", "mac": "02:00:00:00:01:01", "switchPort": 3 } ] }
 * </pre>
 */
public final class SpliceConfig extends Config<ApplicationId> {
    public static final String KEY = "tcpsplice";
    private static final String DEVICE = "device";
    private static final String VIP = "vip";
    private static final String PORT = "port";
    private static final String VIP_MAC = "vipMac";
    private static final String NODES = "nodes";
    private static final String DEFAULT_VIP_MAC = "02:00:00:00:00:fe";

    /** A back-end node as configured. */
    public static final class Node {
        public final String id;
        public final int ip;
        public final long mac;
        public final int switchPort;

        Node(String id, int ip, long mac, int switchPort) {
            this.id = id;
            this.ip = ip;
            this.mac = mac;
            this.switchPort = switchPort;
        }
    }

    @Override
    public boolean isValid() {
        if (!hasOnlyFields(DEVICE, VIP, PORT, VIP_MAC, NODES) || get(DEVICE, null) == null || get(VIP, null) == null) {
            return false;
        }
        try {
            device();
            vip();
            vipMac();
            int port = servicePort();
            List<Node> nodes = nodes();
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
}
