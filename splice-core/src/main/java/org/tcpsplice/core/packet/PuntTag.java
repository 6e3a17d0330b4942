package org.tcpsplice.core.packet;

import java.util.Arrays;

/**
 * The reserved VLAN tag by which the fast path (the XDP program in front of the switch ports) sends a
 * spliced packet it does not translate to the controller: one standing switch rule punts the VLAN, and
 * the controller takes the tag off before it maps the frame, so the frame it sees is the one that arrived.
 * The program drops frames that arrive already carrying the tag, so no host can reach the controller
 * through it.
 */
public final class PuntTag {
    /** The VLAN id: the highest usable one (4095 is reserved by 802.1Q). */
    public static final int VLAN = 4094;
    public static final int SIZE = 4;
    private static final int TPID = 0x8100;
    private static final int ETHERTYPE_AT = 12;

    private PuntTag() {
    }

    /** Whether the frame's outer tag is the punt tag (priority bits ignored). */
    public static boolean on(byte[] frame, int length) {
        return length >= ETHERTYPE_AT + SIZE + 2 && Bytes.u16(frame, ETHERTYPE_AT) == TPID
                && (Bytes.u16(frame, ETHERTYPE_AT + 2) & 0x0FFF) == VLAN;
    }

    /** The frame with the punt tag after its MAC addresses, as the fast path sends it on. */
    public static byte[] inserted(byte[] frame) {
        byte[] tagged = new byte[frame.length + SIZE];
        System.arraycopy(frame, 0, tagged, 0, ETHERTYPE_AT);
        Bytes.put16(tagged, ETHERTYPE_AT, TPID);
        Bytes.put16(tagged, ETHERTYPE_AT + 2, VLAN);
        System.arraycopy(frame, ETHERTYPE_AT, tagged, ETHERTYPE_AT + SIZE, frame.length - ETHERTYPE_AT);
        return tagged;
    }

    /** The frame without its punt tag; the caller checked {@link #on}. */
    public static byte[] stripped(byte[] frame) {
        byte[] untagged = Arrays.copyOf(frame, frame.length - SIZE);
        System.arraycopy(frame, ETHERTYPE_AT + SIZE, untagged, ETHERTYPE_AT, frame.length - ETHERTYPE_AT - SIZE);
        return untagged;
    }
}
