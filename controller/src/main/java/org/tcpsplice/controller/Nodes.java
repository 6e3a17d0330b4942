package org.tcpsplice.controller;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.tcpsplice.controller.config.ControllerConfig;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.net.MacAddress;

/** The configured back-end nodes, by id and by IP. */
final class Nodes {
    static final class Node {
        final String id;
        final int ip;
        final long mac;
        final int switchPort;

        Node(ControllerConfig.Node c) {
            this.id = c.id;
            this.ip = Ipv4.parse(c.ip);
            this.mac = MacAddress.parse(c.mac);
            this.switchPort = c.switchPort;
        }

        @Override
        public String toString() {
            return id + " " + Ipv4.format(ip) + " port " + switchPort;
        }
    }

    private final Map<String, Node> byId = new LinkedHashMap<>();
    private final Map<Integer, Node> byIp = new LinkedHashMap<>();

    Nodes(List<ControllerConfig.Node> config) {
        for (ControllerConfig.Node c : config) {
            Node n = new Node(c);
            byId.put(n.id, n);
            byIp.put(n.ip, n);
        }
    }

    Node byId(String id) {
        return byId.get(id);
    }

    Node byIp(int ip) {
        return byIp.get(ip);
    }

    Collection<Node> all() {
        return byId.values();
    }

    List<Integer> ips() {
        return byId.values().stream().map(n -> n.ip).collect(Collectors.toList());
    }
}
