package org.tcpsplice.agent;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.lang.ref.Reference;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.tcpsplice.core.packet.FrameStatus;
import org.tcpsplice.core.packet.TcpFrame;

/**
 * The SYN-ACKs this node receives, from one packet socket (AF_PACKET) open for the agent's life: the
 * peer's TSval in the SYN-ACK of a connection the node opens bounds every later one from below. Linux
 * does not expose a socket's ts_recent, and a handoff needs such a bound for c2's peer (see
 * docs/handoff-race.md, timestamp anchors).
 *
 * <p>A classic BPF filter, attached before the socket is bound to a protocol, lets only TCP SYN-ACKs to
 * the node's address reach it: an unfiltered packet socket takes a copy of every IP packet the node
 * receives, made in the deliverer's softirq, and frees them at its close after an RCU grace period
 * (what a socket per handoff cost: docs/benchmarks/2026-12-07.md).
 */
final class SynAckWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SynAckWatch.class.getName());
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final short ETH_P_IP_NETWORK_ORDER = 0x0008; // htons(0x0800)
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_FILTER = 26;
    private static final int SO_RCVTIMEO = 20;
    private static final int EAGAIN = 11;
    /** Bytes kept of each SYN-ACK: Ethernet, IPv4 and TCP headers with their options. */
    private static final int SNAP = 256;

    static {
        Native.register(SynAckWatch.class, "c");
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

    private static native int bind(int fd, Pointer address, int length) throws LastErrorException;

    private static native long recv(int fd, Pointer buf, long length, int flags) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private final int fd;
    /** Awaited SYN-ACKs by (peer address, peer port, local port), see {@link #key}. */
    private final Map<Long, CompletableFuture<Long>> awaited = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private SynAckWatch(int fd) {
        this.fd = fd;
    }

    /** Watches for SYN-ACKs to {@code nodeIp}; needs CAP_NET_RAW. */
    static SynAckWatch open(int nodeIp) throws IOException {
        int fd;
        try {
            fd = socket(AF_PACKET, SOCK_RAW, 0); // protocol 0: nothing arrives before bind()
        } catch (LastErrorException e) {
            throw new IOException("packet socket: errno " + e.getErrorCode() + " (needs CAP_NET_RAW)", e);
        }
        try {
            int[][] program = synAcksTo(nodeIp);
            Memory instructions = instructions(program);
            Memory fprog = new Memory(16); // struct sock_fprog: length, then a pointer to the instructions
            fprog.clear();
            fprog.setShort(0, (short) program.length);
            fprog.setPointer(8, instructions);
            setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, fprog, 16); // the kernel copies the program
            Reference.reachabilityFence(instructions);
            Memory timeout = new Memory(16); // struct timeval: the reader looks at closed this often
            timeout.setLong(0, 0);
            timeout.setLong(8, 200_000);
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
            Memory address = new Memory(20); // struct sockaddr_ll, every interface
            address.clear();
            address.setShort(0, (short) AF_PACKET);
            address.setShort(2, ETH_P_IP_NETWORK_ORDER);
            bind(fd, address, 20);
        } catch (LastErrorException e) {
            close(fd);
            throw new IOException("packet socket filter or bind: errno " + e.getErrorCode(), e);
        }
        SynAckWatch watch = new SynAckWatch(fd);
        Thread reader = new Thread(watch::readLoop, "syn-ack-watch");
        reader.setDaemon(true);
        reader.start();
        return watch;
    }

    /**
     * Says that this node is about to open {@code localPort} to {@code peerIp:peerPort}. Call it before
     * connect(), so that the SYN-ACK cannot come first; then {@link Expected#tsval}.
     */
    Expected expect(int peerIp, int peerPort, int localPort) {
        Expected e = new Expected(key(peerIp, peerPort, localPort));
        awaited.put(e.key, e.synAck);
        return e;
    }

    /** One awaited SYN-ACK. */
    final class Expected {
        private final long key;
        private final CompletableFuture<Long> synAck = new CompletableFuture<>();

        private Expected(long key) {
            this.key = key;
        }

        /** Its TSval (-1: none within {@code millis}, or it had no timestamp); the watch forgets it. */
        long tsval(long millis) {
            try {
                return synAck.get(millis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            } finally {
                forget();
            }
        }

        /** No longer awaited (the connection failed). */
        void forget() {
            awaited.remove(key, synAck);
        }
    }

    private void readLoop() {
        try {
            Memory frame = new Memory(SNAP);
            while (!closed) {
                read(frame);
            }
        } catch (LastErrorException e) {
            LOG.warning("SYN-ACK watch: recv errno " + e.getErrorCode() + "; handoffs lose their timestamp anchor");
        } finally {
            close(fd);
        }
    }

    /** One SYN-ACK (or the receive timeout): completes its awaited future, if any. */
    private void read(Memory frame) {
        long n;
        try {
            n = recv(fd, frame, SNAP, 0);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == EAGAIN) {
                return;
            }
            throw e;
        }
        TcpFrame f = new TcpFrame(); // the filter passed an Ethernet frame with a SYN-ACK in it
        if (f.parse(frame.getByteArray(0, (int) n), 0, (int) n) != FrameStatus.OK) {
            return;
        }
        CompletableFuture<Long> awaiting = awaited.get(key(f.srcIp(), f.srcPort(), f.dstPort()));
        if (awaiting != null) {
            awaiting.complete(f.hasTimestamps() ? f.tsval() & 0xFFFF_FFFFL : -1);
        }
    }

    private static long key(int peerIp, int peerPort, int localPort) {
        return (Integer.toUnsignedLong(peerIp) << 32) | ((long) peerPort << 16) | localPort;
    }

    /**
     * Classic BPF over the Ethernet frame: IPv4, TCP, to {@code nodeIp}, not a fragment, SYN and ACK
     * set; keeps {@link #SNAP} bytes of it, drops everything else.
     */
    static int[][] synAcksTo(int nodeIp) {
        final int ldh = 0x28, ldb = 0x30, ldw = 0x20, ldxMsh = 0xb1, ldbInd = 0x50, jeq = 0x15, jset = 0x45,
                and = 0x54, ret = 0x06;
        // {code, jump if true, jump if false, k}; the jumps count instructions after this one, 13 drops.
        return new int[][] {
            {ldh, 0, 0, 12}, {jeq, 0, 11, 0x0800},      // 0-1: EtherType IPv4
            {ldb, 0, 0, 23}, {jeq, 0, 9, 6},            // 2-3: protocol TCP
            {ldw, 0, 0, 30}, {jeq, 0, 7, nodeIp},       // 4-5: to this node
            {ldh, 0, 0, 20}, {jset, 5, 0, 0x1fff},      // 6-7: not a later fragment
            {ldxMsh, 0, 0, 14},                         // 8: X = the IPv4 header's length
            {ldbInd, 0, 0, 14 + 13}, {and, 0, 0, 0x12}, // 9-10: TCP flags, SYN and ACK
            {jeq, 0, 1, 0x12},                          // 11
            {ret, 0, 0, SNAP},                          // 12: keep
            {ret, 0, 0, 0},                             // 13: drop
        };
    }

    /** struct sock_filter[] for {@code instructions}. */
    private static Memory instructions(int[][] instructions) {
        Memory filter = new Memory(8L * instructions.length);
        for (int i = 0; i < instructions.length; i++) {
            int[] in = instructions[i];
            filter.setShort(8L * i, (short) in[0]);
            filter.setByte(8L * i + 2, (byte) in[1]);
            filter.setByte(8L * i + 3, (byte) in[2]);
            filter.setInt(8L * i + 4, in[3]);
        }
        return filter;
    }

    /** Stops the watch; the reader closes the socket within its receive timeout (no recv on a reused fd). */
    @Override
    public void close() {
        closed = true;
    }
}
