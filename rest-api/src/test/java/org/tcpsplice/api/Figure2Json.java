package org.tcpsplice.api;

/** The Figure 2 handoffs as nodes A and B would POST them (shared by the REST tests of both controllers). */
public final class Figure2Json {
    private Figure2Json() {
    }

    public static String connection(String local, String remote, long snd, long rcv, long tsClock, long tsRecent) {
        return "{\"local\":\"" + local + "\",\"remote\":\"" + remote + "\",\"sndNxt\":" + snd + ",\"rcvNxt\":" + rcv
                + ",\"options\":{\"peerMss\":1460,\"localMss\":1460,\"peerWindowShift\":7,\"localWindowShift\":7,"
                + "\"sack\":true,\"timestamps\":true},\"localTsClock\":" + tsClock + ",\"peerTsRecent\":" + tsRecent + "}";
    }

    /** Node A's Figure 2 handoff as it would POST it. */
    public static final String A_TO_B = "{\"clientSide\":" + connection("10.0.0.100:80", "10.0.0.1:40000", 5000, 4000, 500000, 1000000)
            + ",\"newConnection\":" + connection("10.0.1.1:50000", "10.0.1.2:80", 2000, 7000, 700000, 900000) + "}";
    public static final String B_TO_C = "{\"clientSide\":" + connection("10.0.1.2:80", "10.0.1.1:50000", 12000, 7000, 905000, 703000)
            + ",\"newConnection\":" + connection("10.0.1.2:50001", "10.0.1.3:80", 11000, 11000, 2000000, 3000000) + "}";
}
