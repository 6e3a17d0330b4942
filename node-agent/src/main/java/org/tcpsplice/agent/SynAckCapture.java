package org.tcpsplice.agent;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import org.tcpsplice.core.packet.Bytes;

/**
 * Watches the node's own interfaces (AF_PACKET) while it opens a connection, for the peer's SYN-ACK:
 * the peer's TSval in it bounds every later one from below. Linux does not expose a socket's
 * ts_recent, and a handoff needs such a bound (see docs/handoff-race.md, timestamp anchors). Open it before connect().
 */
final class SynAckCapture implements AutoCloseable {
    private static final int AF_PACKET = 17;
    private static final int SOCK_RAW = 3;
    private static final int ETH_P_IP_NETWORK_ORDER = 0x0008; // htons(0x0800)
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    static {
        Native.register(SynAckCapture.class, "c");
    }

    private static native int socket(int domain, int type, int protocol) throws LastErrorException;

    private static native int setsockopt(int fd, int level, int name, Pointer value, int length) throws LastErrorException;

    private static native long recv(int fd, Pointer buf, long length, int flags) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private final int fd;

    SynAckCapture() throws IOException {
        try {
            fd = socket(AF_PACKET, SOCK_RAW, ETH_P_IP_NETWORK_ORDER);
            Memory timeout = new Memory(16); // struct timeval: 10 ms per recv
            timeout.setLong(0, 0);
            timeout.setLong(8, 10_000);
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeout, 16);
        } catch (LastErrorException e) {
            throw new IOException("packet socket: errno " + e.getErrorCode() + " (needs root)", e);
        }
    }

    /**
     * The TSval of the SYN-ACK from {@code peerIp:peerPort} to our {@code localPort}, or -1 if none was
     * seen within {@code millis} or it had no timestamp.
     */
    long awaitSynAckTsval(int peerIp, int peerPort, int localPort, long millis) {
        Memory frame = new Memory(2048);
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            long n;
            try {
                n = recv(fd, frame, 2048, 0);
            } catch (LastErrorException e) {
                continue; // EAGAIN on timeout: look again until the deadline
            }
            if (n < 14 + 40) {
                continue;
            }
            byte[] b = frame.getByteArray(0, (int) n);
            int ip = 14;
            if ((b[ip] & 0xF0) != 0x40 || (b[ip + 9] & 0xFF) != 6 || Bytes.u32(b, ip + 12) != peerIp) {
                continue;
            }
            int tcp = ip + (b[ip] & 0x0F) * 4;
            if (n < tcp + 20 || Bytes.u16(b, tcp) != peerPort || Bytes.u16(b, tcp + 2) != localPort || (b[tcp + 13] & 0x12) != 0x12) {
                continue;
            }
            return Headers.tsval(b, ip);
        }
        return -1;
    }

    @Override
    public void close() {
        try {
            close(fd);
        } catch (LastErrorException e) {
            // already gone
        }
    }
}
