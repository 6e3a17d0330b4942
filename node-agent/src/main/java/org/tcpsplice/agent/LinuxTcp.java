package org.tcpsplice.agent;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import java.io.IOException;
import java.nio.channels.NetworkChannel;

/**
 * The Linux TCP socket calls a handoff needs, through JNA: exact sequence numbers (TCP_REPAIR with
 * TCP_QUEUE_SEQ), the timestamp clock (TCP_TIMESTAMP), negotiated options (TCP_INFO), the MSS, the
 * saved SYN (TCP_SAVE_SYN / TCP_SAVED_SYN), and unacknowledged bytes (SIOCOUTQ). Repair mode needs
 * CAP_NET_ADMIN (the agent runs as root).
 */
public final class LinuxTcp {
    private static final int SOL_TCP = 6;
    private static final int TCP_MAXSEG = 2;
    private static final int TCP_CORK = 3;
    private static final int TCP_INFO = 11;
    private static final int TCP_QUICKACK = 12;
    private static final int TCP_REPAIR = 19;
    /** Leaves repair mode without the window probe that plain "off" (0) sends to the peer. */
    private static final int TCP_REPAIR_OFF_NO_WP = -1;
    private static final int TCP_REPAIR_QUEUE = 20;
    private static final int TCP_QUEUE_SEQ = 21;
    private static final int TCP_TIMESTAMP = 24;
    private static final int TCP_SAVE_SYN = 27;
    private static final int TCP_SAVED_SYN = 28;
    private static final int TCP_RECV_QUEUE = 1;
    private static final int TCP_SEND_QUEUE = 2;
    private static final int SIOCOUTQ = 0x5411;
    private static final int SIOCINQ = 0x541B;
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int SO_DETACH_FILTER = 27;
    /** Classic BPF "ret #0": accept no bytes of the packet, so the socket drops it. */
    private static final short BPF_RET_K = 0x06;
    private static final int TCPI_OPT_TIMESTAMPS = 1;
    private static final int TCPI_OPT_SACK = 2;
    private static final int TCPI_OPT_WSCALE = 4;

    static {
        Native.register(LinuxTcp.class, "c");
    }

    private static native int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

    private static native int getsockopt(int fd, int level, int name, Pointer value, IntByReference length)
            throws LastErrorException;

    private static native int ioctl(int fd, long request, IntByReference value) throws LastErrorException;

    private LinuxTcp() {
    }

    /**
     * The file descriptor behind a Java socket channel. NIO keeps it in sun.nio.ch, which the JVM must
     * export at run time ({@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}; the launcher sets it).
     */
    public static int fd(NetworkChannel channel) {
        try {
            return (int) Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal").invoke(channel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the socket's descriptor; start the JVM with "
                    + "--add-exports java.base/sun.nio.ch=ALL-UNNAMED", e);
        }
    }

    private static void setInt(int fd, int name, int value, String what) throws IOException {
        Memory m = new Memory(4);
        m.setInt(0, value);
        try {
            setsockopt(fd, SOL_TCP, name, m, 4);
        } catch (LastErrorException e) {
            throw new IOException(what + " failed: errno " + e.getErrorCode(), e);
        }
    }

    private static int getInt(int fd, int name, String what) throws IOException {
        Memory m = new Memory(4);
        IntByReference len = new IntByReference(4);
        try {
            getsockopt(fd, SOL_TCP, name, m, len);
        } catch (LastErrorException e) {
            throw new IOException(what + " failed: errno " + e.getErrorCode(), e);
        }
        return m.getInt(0);
    }

    public static void setMaxSegment(int fd, int mss) throws IOException {
        setInt(fd, TCP_MAXSEG, mss, "TCP_MAXSEG");
    }

    /**
     * Holds what is written next until the socket is closed (or 200 ms pass): the last response of a
     * connection then leaves in the same segment as its FIN, one packet fewer for the client and the
     * switch, as HAProxy's last responses do.
     */
    public static void corkUntilClose(int fd) throws IOException {
        setInt(fd, TCP_CORK, 1, "TCP_CORK");
    }

    /** The socket's current TSval: its clock plus this connection's random offset. */
    public static int timestampClock(int fd) throws IOException {
        return getInt(fd, TCP_TIMESTAMP, "TCP_TIMESTAMP");
    }

    /** Bytes sent but not yet acknowledged by the peer. */
    public static int unacknowledged(int fd) throws IOException {
        return ioctlInt(fd, SIOCOUTQ, "SIOCOUTQ");
    }

    /** Bytes received (and acknowledged) that the application has not read yet. */
    public static int unread(int fd) throws IOException {
        return ioctlInt(fd, SIOCINQ, "SIOCINQ");
    }

    private static int ioctlInt(int fd, int request, String what) throws IOException {
        IntByReference v = new IntByReference();
        try {
            ioctl(fd, request, v);
        } catch (LastErrorException e) {
            throw new IOException(what + " failed: errno " + e.getErrorCode(), e);
        }
        return v.getValue();
    }

    /**
     * From now on the socket drops every segment that reaches it before TCP sees it (a socket filter
     * that accepts nothing): it neither takes nor acknowledges any more of the peer's bytes, so the peer
     * sends them again later, wherever the connection then leads. Undone by {@link #acceptSegments}.
     */
    public static void refuseSegments(int fd) throws IOException {
        Memory program = new Memory(8); // struct sock_filter: code, jt, jf, k
        program.clear();
        program.setShort(0, BPF_RET_K);
        Memory fprog = new Memory(16); // struct sock_fprog: len, then a pointer at offset 8
        fprog.clear();
        fprog.setShort(0, (short) 1);
        fprog.setPointer(8, program);
        try {
            setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, 16);
        } catch (LastErrorException e) {
            throw new IOException("SO_ATTACH_FILTER failed: errno " + e.getErrorCode(), e);
        }
    }

    /** Takes {@link #refuseSegments}' filter off again. */
    public static void acceptSegments(int fd) throws IOException {
        Memory zero = new Memory(4);
        zero.setInt(0, 0);
        try {
            setsockopt(fd, SOL_SOCKET, SO_DETACH_FILTER, zero, 4);
        } catch (LastErrorException e) {
            throw new IOException("SO_DETACH_FILTER failed: errno " + e.getErrorCode(), e);
        }
    }

    /** Set on a listening socket: accepted connections remember their SYN's headers. */
    public static void saveSyn(int listenerFd) throws IOException {
        setInt(listenerFd, TCP_SAVE_SYN, 1, "TCP_SAVE_SYN");
    }

    /**
     * The peer's TSval in the SYN that opened this (accepted) connection, or -1 when no SYN was saved
     * or it carried no timestamp. Every later TSval of the peer is at or after it.
     */
    public static long savedSynTsval(int fd) throws IOException {
        Memory m = new Memory(512);
        IntByReference len = new IntByReference(512);
        try {
            getsockopt(fd, SOL_TCP, TCP_SAVED_SYN, m, len);
        } catch (LastErrorException e) {
            return -1; // read once only: the kernel frees the saved SYN
        }
        byte[] syn = m.getByteArray(0, len.getValue());
        return Headers.tsval(syn, 0);
    }

    /** Negotiated options as TCP_INFO reports them. */
    public static final class Info {
        /** NOP, NOP, timestamp: what Linux puts in every segment once timestamps are on. */
        private static final int TIMESTAMP_OPTION_BYTES = 12;
        public final boolean timestamps;
        public final boolean sack;
        public final int sndWindowShift;
        public final int rcvWindowShift;
        public final int sndMss;
        public final int rcvMss;
        public final int unacked;
        /** Segments this socket has sent (tcpi_segs_out, Linux 4.2 on; -1 before): did a call send anything. */
        public final int segmentsSent;

        Info(byte[] b) {
            int options = b[5] & 0xFF;
            this.timestamps = (options & TCPI_OPT_TIMESTAMPS) != 0;
            this.sack = (options & TCPI_OPT_SACK) != 0;
            boolean wscale = (options & TCPI_OPT_WSCALE) != 0;
            this.sndWindowShift = wscale ? b[6] & 0x0F : 0;
            this.rcvWindowShift = wscale ? (b[6] >>> 4) & 0x0F : 0;
            this.sndMss = le32(b, 16);
            this.rcvMss = le32(b, 20);
            this.unacked = le32(b, 24);
            this.segmentsSent = b.length >= 140 ? le32(b, 136) : -1;
        }

        /**
         * The peer's MSS as a SYN's MSS option states it: the payload limit before TCP options. Linux's
         * tcpi_snd_mss has the timestamp option (12 bytes) taken off already; clamping a new connection
         * with that value would take it off twice (segments 12 bytes short).
         */
        public int mssOption() {
            return sndMss + (timestamps ? TIMESTAMP_OPTION_BYTES : 0);
        }

        private static int le32(byte[] b, int at) {
            return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
        }
    }

    public static Info info(int fd) throws IOException {
        Memory m = new Memory(256);
        IntByReference len = new IntByReference(256);
        try {
            getsockopt(fd, SOL_TCP, TCP_INFO, m, len);
        } catch (LastErrorException e) {
            throw new IOException("TCP_INFO failed: errno " + e.getErrorCode(), e);
        }
        return new Info(m.getByteArray(0, len.getValue()));
    }

    /**
     * Exact {snd_nxt, rcv_nxt}: enters repair mode, reads both queue sequence numbers, leaves it again
     * without a window probe. Plain "off" sends one (an ACK for snd_una - 1, to restart a peer that saw a
     * zero window while the socket was frozen): a stray segment on c1 and on c2 in the middle of every
     * handoff, which the client and the target each answered with a duplicate ACK.
     */
    public static int[] sequenceNumbers(int fd) throws IOException {
        setInt(fd, TCP_REPAIR, 1, "TCP_REPAIR on");
        try {
            setInt(fd, TCP_REPAIR_QUEUE, TCP_SEND_QUEUE, "TCP_REPAIR_QUEUE send");
            int snd = getInt(fd, TCP_QUEUE_SEQ, "TCP_QUEUE_SEQ send");
            setInt(fd, TCP_REPAIR_QUEUE, TCP_RECV_QUEUE, "TCP_REPAIR_QUEUE recv");
            int rcv = getInt(fd, TCP_QUEUE_SEQ, "TCP_QUEUE_SEQ recv");
            return new int[] {snd, rcv};
        } finally {
            setInt(fd, TCP_REPAIR, TCP_REPAIR_OFF_NO_WP, "TCP_REPAIR off (no window probe)");
        }
    }

    /**
     * Sends the ACK the kernel is holding back (delayed ACK) for bytes already received, now. Linux
     * sets quick-ack mode and acknowledges at once what was read.
     */
    public static void acknowledgeNow(int fd) throws IOException {
        setInt(fd, TCP_QUICKACK, 1, "TCP_QUICKACK");
    }

    /**
     * Puts the socket in repair mode for good: it sends no data, FIN or RST from now on, and closing it
     * sends nothing (the switch serves the connection elsewhere). A delayed ACK already scheduled still
     * leaves when its timer fires, from a socket that no longer owns the connection; so
     * {@link #acknowledgeNow} first.
     */
    public static void silence(int fd) throws IOException {
        setInt(fd, TCP_REPAIR, 1, "TCP_REPAIR on");
    }
}
