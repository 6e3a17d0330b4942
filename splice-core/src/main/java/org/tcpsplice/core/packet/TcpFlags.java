package org.tcpsplice.core.packet;

/** TCP header flag bits (byte 13 of the header). */
public final class TcpFlags {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    private TcpFlags() {
    }

    public static String format(int flags) {
        StringBuilder s = new StringBuilder();
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG"};
        for (int bit = 0; bit < names.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                s.append(s.length() == 0 ? "" : "|").append(names[bit]);
            }
        }
        return s.length() == 0 ? "none" : s.toString();
    }
}
