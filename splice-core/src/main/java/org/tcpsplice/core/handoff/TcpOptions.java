package org.tcpsplice.core.handoff;

/**
 * What a connection negotiated, as the handing-off node's kernel reports it (TCP_INFO):
 * MSS in each direction, window-scale shifts, SACK and timestamps.
 */
public final class TcpOptions {
    /** The MSS the peer announced: the largest segment this node may send it (0 = unknown). */
    public final int peerMss;
    /** The MSS this node announced to the peer (0 = unknown). */
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

    /** Null when sane, else what is wrong. */
    String problem(String which) {
        if (peerMss < 0 || peerMss > 0xFFFF || localMss < 0 || localMss > 0xFFFF) {
            return which + ": MSS must be 0..65535";
        }
        if (peerWindowShift < 0 || peerWindowShift > 14 || localWindowShift < 0 || localWindowShift > 14) {
            return which + ": window scale shift must be 0..14 (RFC 7323)";
        }
        return null;
    }
}
