package org.tcpsplice.core.engine;

import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.net.MacAddress;

/** A back-end node of the service: its id (what it authenticates as), address, MAC and switch port. */
public final class Node {
    public final String id;
    public final int ip;
    public final long mac;
    public final int switchPort;

    public Node(String id, int ip, long mac, int switchPort) {
        this.id = id;
        this.ip = ip;
        this.mac = mac;
        this.switchPort = switchPort;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Node)) {
            return false;
        }
        Node n = (Node) o;
        return id.equals(n.id) && ip == n.ip && mac == n.mac && switchPort == n.switchPort;
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + ip;
    }

    @Override
    public String toString() {
        return id + " (" + Ipv4.format(ip) + ", " + MacAddress.format(mac) + ", port " + switchPort + ")";
    }
}
