package org.tcpsplice.agent;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * Moves a response body from one socket to another inside the kernel: splice(2) from the web server's
 * socket into a pipe, and from the pipe into the client's socket. The bytes never enter the JVM, so
 * serving a handed-off connection through this node's agent costs what nginx sending it would, not a
 * user-space copy of every byte (docs/architecture.md; bench.py measures the cost). Both sockets must be blocking, as the agent's channels are. One relay per
 * connection; it owns its pipe.
 */
final class KernelRelay implements AutoCloseable {
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int F_GETFL = 3;
    private static final int F_SETPIPE_SZ = 1031;
    private static final int SPLICE_F_MOVE = 1;
    private static final int SPLICE_F_MORE = 4;
    private static final int EINTR = 4;
    /** A larger pipe moves more per pair of calls; the kernel may give less (pipe-max-size). */
    private static final int PIPE_BYTES = 1 << 20;

    static {
        Native.register(KernelRelay.class, "c");
    }

    private static native int pipe2(int[] fds, int flags) throws LastErrorException;

    private static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    private static native long splice(int fdIn, Pointer offIn, int fdOut, Pointer offOut, long len, int flags)
            throws LastErrorException;

    private static native int close(int fd);

    private final int from;
    private final int to;
    private final int pipeRead;
    private final int pipeWrite;
    private final int pipeBytes;
    private long moved;

    /** A relay from socket {@code from} to socket {@code to} (file descriptors of blocking sockets). */
    KernelRelay(int from, int to) throws IOException {
        try {
            if ((fcntl(from, F_GETFL, 0) & O_NONBLOCK) != 0 || (fcntl(to, F_GETFL, 0) & O_NONBLOCK) != 0) {
                throw new IOException("kernel relay needs blocking sockets");
            }
            int[] fds = new int[2];
            pipe2(fds, O_CLOEXEC);
            pipeRead = fds[0];
            pipeWrite = fds[1];
        } catch (LastErrorException e) {
            throw new IOException("kernel relay: " + e.getMessage(), e);
        }
        int size;
        try {
            size = fcntl(pipeWrite, F_SETPIPE_SZ, PIPE_BYTES);
        } catch (LastErrorException e) {
            size = 64 * 1024; // the default pipe; still no copy through the JVM
        }
        this.from = from;
        this.to = to;
        this.pipeBytes = size;
    }

    /**
     * Moves exactly {@code count} bytes; fails if the source ends first (the message was cut short) or
     * either socket fails.
     */
    void move(long count) throws IOException {
        long left = count;
        while (left > 0) {
            long in = splice(from, pipeWrite, Math.min(left, pipeBytes), SPLICE_F_MOVE | SPLICE_F_MORE,
                    "from the web server");
            if (in == 0) {
                throw new HttpInput.BadMessage("stream ended " + left + " bytes before the end of a body");
            }
            long inPipe = in;
            while (inPipe > 0) {
                int more = left - in > 0 ? SPLICE_F_MORE : 0;
                inPipe -= splice(pipeRead, to, inPipe, SPLICE_F_MOVE | more, "to the client");
            }
            left -= in;
            moved += in;
        }
    }

    /** One splice call, repeated when a signal interrupted it: bytes moved, 0 at the source's end. */
    private static long splice(int in, int out, long len, int flags, String where) throws IOException {
        while (true) {
            try {
                return splice(in, null, out, null, len, flags);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new IOException("splice " + where + " failed: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Bytes moved so far. */
    long moved() {
        return moved;
    }

    @Override
    public void close() {
        close(pipeRead);
        close(pipeWrite);
    }
}
