package org.tcpsplice.core.handoff;

/**
 * What a connection negotiated, as the handing-off node's kernel reports it (TCP_INFO):
 * MSS in each direction, window-scale shifts, SACK and timestamps.
 */
public final class TcpOptions {
    /** The MSS the peer announced: the largest segment this node may send it. */
    public final int peerMss;
    /** The MSS this node announced to the peer; 0 when the node does not report it (c1: the agent does not). */
    public final int localMss;
    /** The shift the peer applies to windows it sends (Linux tcpi_snd_wscale); 0 without scaling. */
    public final int peerWindowShift;
    /** The shift this node applies to windows it sends (Linux tcpi_rcv_wscale); 0 without scaling. */
    public final int localWindowShift;
    public final boolean sack;
    public final boolean timestamps;

    public TcpOptions(int peerMss, int localMss, int peerWindowShift, int localWindowShift,
                      boolean sack, boolean timestamps) {
        this.peerMss = peerMss;
        this.localMss = localMss;
        this.peerWindowShift = peerWindowShift;
        this.localWindowShift = localWindowShift;
        this.sack = sack;
        this.timestamps = timestamps;
    }

    /** Linux defaults between two hosts on one Ethernet: MSS 1460, shift 7, SACK and timestamps on. */
    public static TcpOptions linuxDefaults() {
        return new TcpOptions(1460, 1460, 7, 7, true, true);
    }

    /** The smallest MSS an IPv4 host must accept (RFC 879, RFC 9293 3.7.1); TCP's field holds 16 bits. */
    public static final int MIN_MSS = 536;
    public static final int MAX_MSS = 0xFFFF;

    /**
     * Null when sane, else what is wrong; {@code field} is the JSON path of these options in the
     * request ("clientSide.options"). A live connection's kernel always knows the peer's MSS, and no
     * IPv4 connection has one outside 536..65535: such a number is a forged or broken handoff.
     */
    String problem(String which, String field) {
        if (peerMss < MIN_MSS || peerMss > MAX_MSS) {
            return which + ": " + field + ".peerMss " + peerMss + " is outside " + MIN_MSS + ".." + MAX_MSS;
        }
        if (localMss != 0 && (localMss < MIN_MSS || localMss > MAX_MSS)) {
            return which + ": " + field + ".localMss " + localMss + " is outside " + MIN_MSS + ".." + MAX_MSS;
        }
        if (peerWindowShift < 0 || peerWindowShift > 14 || localWindowShift < 0 || localWindowShift > 14) {
            return which + ": window scale shift must be 0..14 (RFC 7323)";
        }
        return null;
    }
}
