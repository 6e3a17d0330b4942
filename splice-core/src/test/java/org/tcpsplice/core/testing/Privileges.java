package org.tcpsplice.core.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tests on the real kernel (bpf maps, TCP_REPAIR, packet sockets) need capabilities a user's shell
 * may lack. Without them such a test is skipped with a message that says what is missing and how to
 * run it (as root, as {@code scripts/test.sh} does), instead of failing with an errno deep inside.
 */
public final class Privileges {
    /** Capability numbers of linux/capability.h. */
    public static final int CAP_NET_ADMIN = 12;
    public static final int CAP_NET_RAW = 13;
    public static final int CAP_SYS_ADMIN = 21;
    public static final int CAP_BPF = 39;

    private Privileges() {
    }

    /** The process's effective capabilities (CapEff in /proc/self/status). */
    static BigInteger effective() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return new BigInteger(line.substring("CapEff:".length()).trim(), 16);
            }
        }
        return BigInteger.ZERO;
    }

    /** Skips the calling test unless the process holds CAP_NET_ADMIN (TCP_REPAIR) and CAP_NET_RAW. */
    public static void assumeNetAdmin(String what) {
        assumeCapabilities(what + " needs CAP_NET_ADMIN and CAP_NET_RAW", CAP_NET_ADMIN, CAP_NET_RAW);
    }

    /** Skips the calling test unless the process may create and use BPF maps (CAP_BPF or CAP_SYS_ADMIN). */
    public static void assumeBpf(String what) {
        BigInteger caps = read();
        assumeTrue(caps.testBit(CAP_BPF) || caps.testBit(CAP_SYS_ADMIN),
                () -> what + " needs CAP_BPF or CAP_SYS_ADMIN: run it as root (scripts/test.sh does); skipped");
    }

    private static void assumeCapabilities(String why, int... caps) {
        BigInteger held = read();
        for (int cap : caps) {
            assumeTrue(held.testBit(cap), () -> why + ": run it as root (scripts/test.sh does); skipped");
        }
    }

    private static BigInteger read() {
        try {
            return effective();
        } catch (IOException e) {
            return BigInteger.ZERO; // no /proc: not the Linux these tests are for
        }
    }
}
