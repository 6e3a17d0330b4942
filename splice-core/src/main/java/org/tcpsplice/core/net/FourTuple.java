package org.tcpsplice.core.net;

/**
 * A TCP connection direction: (source IP, source port, destination IP, destination port),
 * the key of the patent's level-1 mapping table (Fig. 2, columns 202-208).
 */
public final class FourTuple {
    public final int srcIp;
    public final int srcPort;
    public final int dstIp;
    public final int dstPort;

    public FourTuple(int srcIp, int srcPort, int dstIp, int dstPort) {
        checkPort(srcPort);
        checkPort(dstPort);
        this.srcIp = srcIp;
        this.srcPort = srcPort;
        this.dstIp = dstIp;
        this.dstPort = dstPort;
    }

    /** Parses {@code "10.0.0.1:4000->10.0.0.100:80"}. */
    public static FourTuple parse(String text) {
        String[] ends = text.split("->", -1);
        if (ends.length != 2) {
            throw new IllegalArgumentException("not a 4-tuple (want a:p->b:q): '" + text + "'");
        }
        int[] src = parseEndpoint(ends[0], text);
        int[] dst = parseEndpoint(ends[1], text);
        return new FourTuple(src[0], src[1], dst[0], dst[1]);
    }

    private static int[] parseEndpoint(String endpoint, String whole) {
        int colon = endpoint.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("endpoint without port in '" + whole + "'");
        }
        try {
            return new int[] {Ipv4.parse(endpoint.substring(0, colon)),
                Integer.parseInt(endpoint.substring(colon + 1).trim())};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in '" + whole + "'", e);
        }
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("TCP port out of range: " + port);
        }
    }

    /** The other direction of the same connection. */
    public FourTuple reversed() {
        return new FourTuple(dstIp, dstPort, srcIp, srcPort);
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof FourTuple)) {
            return false;
        }
        FourTuple that = (FourTuple) other;
        return srcIp == that.srcIp && srcPort == that.srcPort && dstIp == that.dstIp && dstPort == that.dstPort;
    }

    @Override
    public int hashCode() {
        return Level1Hash.of(srcIp, srcPort, dstIp, dstPort);
    }

    @Override
    public String toString() {
        return Ipv4.format(srcIp) + ":" + srcPort + "->" + Ipv4.format(dstIp) + ":" + dstPort;
    }
}
