package org.tcpsplice.core.rules;

import java.util.Objects;

/**
 * One abstract switch rule for a splice. Both controllers translate these into their own rule
 * types (OpenFlow flow-mods, ONOS FlowRules) without adding or dropping any.
 * Rules never time out on the switch: the controller removes them when the splice ends.
 */
public final class SwitchRule implements Comparable<SwitchRule> {
    public final int priority;
    public final RuleMatch match;
    public final RuleAction action;
    /** Tags the rule with its splice (see {@link RuleCompiler#cookieOf}); not unique, so remove by match. */
    public final long cookie;

    public SwitchRule(int priority, RuleMatch match, RuleAction action, long cookie) {
        this.priority = priority;
        this.match = Objects.requireNonNull(match);
        this.action = Objects.requireNonNull(action);
        this.cookie = cookie;
    }

    @Override
    public int compareTo(SwitchRule o) {
        // Highest priority first, then by the numeric match fields: a stable order for diffs and tests.
        int c = Integer.compare(o.priority, priority);
        if (c == 0) {
            c = Integer.compare(match.inPort, o.match.inPort);
        }
        if (c == 0) {
            c = Integer.compareUnsigned(match.tuple.srcIp, o.match.tuple.srcIp);
        }
        if (c == 0) {
            c = Integer.compare(match.tuple.srcPort, o.match.tuple.srcPort);
        }
        if (c == 0) {
            c = Integer.compareUnsigned(match.tuple.dstIp, o.match.tuple.dstIp);
        }
        return c != 0 ? c : Integer.compare(match.tuple.dstPort, o.match.tuple.dstPort);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SwitchRule)) {
            return false;
        }
        SwitchRule r = (SwitchRule) o;
        return priority == r.priority && match.equals(r.match) && action.equals(r.action) && cookie == r.cookie;
    }

    @Override
    public int hashCode() {
        return Objects.hash(priority, match, action, cookie);
    }

    @Override
    public String toString() {
        return "priority=" + priority + "," + match + " actions=" + action
                + " cookie=0x" + Long.toHexString(cookie);
    }
}
