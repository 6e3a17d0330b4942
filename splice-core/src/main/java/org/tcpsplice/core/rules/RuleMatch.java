package org.tcpsplice.core.rules;

import java.util.Objects;
import org.tcpsplice.core.net.FourTuple;

/** What a switch rule matches: IPv4/TCP with this 4-tuple, arriving on one port or any. */
public final class RuleMatch {
    /** Stands for "any ingress port" (OpenFlow ports start at 1). */
    public static final int ANY_PORT = 0;

    public final int inPort;
    public final FourTuple tuple;

    public RuleMatch(int inPort, FourTuple tuple) {
        this.inPort = inPort;
        this.tuple = Objects.requireNonNull(tuple);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleMatch && ((RuleMatch) o).inPort == inPort && ((RuleMatch) o).tuple.equals(tuple);
    }

    @Override
    public int hashCode() {
        return tuple.hashCode() * 31 + inPort;
    }

    @Override
    public String toString() {
        return (inPort == ANY_PORT ? "" : "in_port=" + inPort + ",") + "tcp " + tuple;
    }
}
