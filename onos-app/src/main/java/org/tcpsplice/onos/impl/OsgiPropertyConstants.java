package org.tcpsplice.onos.impl;

/**
 * Names and defaults of the app's component properties (ONOS's convention; `cfg set
 * org.tcpsplice.onos.impl.SpliceManager NAME VALUE`). The same settings, under the same defaults, as
 * the standalone controller's configuration file (docs/configuration.md).
 */
public final class OsgiPropertyConstants {
    private OsgiPropertyConstants() {
    }

    /** round-robin or least-connections. */
    public static final String POLICY = "policy";
    public static final String POLICY_DEFAULT = "round-robin";

    /** Splices idle this long end (the patent's TCP_WAIT), in seconds. */
    public static final String IDLE_TIMEOUT = "idleTimeoutSeconds";
    public static final int IDLE_TIMEOUT_DEFAULT = 300;

    /** A closed splice's entries stay this long for late FINs and ACKs, in seconds. */
    public static final String CLOSE_LINGER = "closeLingerSeconds";
    public static final int CLOSE_LINGER_DEFAULT = 10;

    /** Idle timeout of a new connection's steering flows, in seconds. */
    public static final String CONNECTION_IDLE = "connectionIdleSeconds";
    public static final int CONNECTION_IDLE_DEFAULT = 300;

    /** How long a handoff waits for the switch to confirm its rules before it is undone, in milliseconds. */
    public static final String CONFIRM_TIMEOUT = "confirmTimeoutMillis";
    public static final int CONFIRM_TIMEOUT_DEFAULT = 5000;
}
