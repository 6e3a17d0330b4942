package org.tcpsplice.core.rules;

import java.util.Objects;
import org.tcpsplice.core.net.FourTuple;

/**
 * One abstract switch rule for a splice: IPv4/TCP packets of one 4-tuple, from any port, go to the
 * controller (the slow path). Both controllers translate these into their own rule types (OpenFlow
 * flow-mods, ONOS FlowRules) without adding or dropping any. Rules never time out on the switch: the
 * controller removes them when the splice ends.
 */
public final class SwitchRule implements Comparable<SwitchRule> {
    public final int priority;
    public final FourTuple tuple;
    /** Tags the rule with its splice (see {@link RuleCompiler#cookieOf}); not unique, so remove by match. */
    public final long cookie;

    public SwitchRule(int priority, FourTuple tuple, long cookie) {
        this.priority = priority;
        this.tuple = Objects.requireNonNull(tuple);
        this.cookie = cookie;
    }

    @Override
    public int compareTo(SwitchRule o) {
        // Highest priority first, then by the numeric match fields: a stable order for diffs and tests.
        int c = Integer.compare(o.priority, priority);
        if (c == 0) {
            c = Integer.compareUnsigned(tuple.srcIp, o.tuple.srcIp);
        }
        if (c == 0) {
            c = Integer.compare(tuple.srcPort, o.tuple.srcPort);
        }
        if (c == 0) {
            c = Integer.compareUnsigned(tuple.dstIp, o.tuple.dstIp);
        }
        return c != 0 ? c : Integer.compare(tuple.dstPort, o.tuple.dstPort);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SwitchRule)) {
            return false;
        }
        SwitchRule r = (SwitchRule) o;
        return priority == r.priority && tuple.equals(r.tuple) && cookie == r.cookie;
    }

    @Override
    public int hashCode() {
        return Objects.hash(priority, tuple, cookie);
    }

    @Override
    public String toString() {
        return "priority=" + priority + ",tcp " + tuple + " actions=controller cookie=0x" + Long.toHexString(cookie);
    }
}
