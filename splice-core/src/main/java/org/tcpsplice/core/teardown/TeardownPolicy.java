package org.tcpsplice.core.teardown;

/** How long splices live: the patent's TCP_WAIT idle timeout, and the linger after a close. */
public final class TeardownPolicy {
    /** Idle splices (no packet in either direction) are removed after this (patent Fig. 4, 405). */
    public final int idleTimeoutSeconds;
    /** After both FINs or a RST, entries stay this long so retransmitted FINs and last ACKs are still mapped. */
    public final int closeLingerSeconds;

    public TeardownPolicy(int idleTimeoutSeconds, int closeLingerSeconds) {
        if (idleTimeoutSeconds < 1 || closeLingerSeconds < 0 || closeLingerSeconds > idleTimeoutSeconds) {
            throw new IllegalArgumentException("need idle timeout >= 1 s and 0 <= linger <= idle timeout, got "
                    + idleTimeoutSeconds + " s and " + closeLingerSeconds + " s");
        }
        this.idleTimeoutSeconds = idleTimeoutSeconds;
        this.closeLingerSeconds = closeLingerSeconds;
    }

    /** Defaults: 300 s idle (a keep-alive HTTP connection rarely idles longer), 10 s linger. */
    public static TeardownPolicy defaults() {
        return new TeardownPolicy(300, 10);
    }

    /** Why a splice with this state may be removed at {@code nowSecond}, or null if it must stay. */
    public ExpiredSplice.Cause removable(int state, int nowSecond) {
        int idle = nowSecond - CloseState.lastActivitySecond(state);
        if (CloseState.closed(state) && idle >= closeLingerSeconds) {
            return ExpiredSplice.Cause.CLOSED;
        }
        if (idle >= idleTimeoutSeconds) {
            return ExpiredSplice.Cause.IDLE;
        }
        return null;
    }
}
