package org.tcpsplice.core.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Level1Hash;

/**
 * Compiles a splice in the tables into the switch rules the slow path needs. No OpenFlow switch can
 * rewrite seq/ack (docs/architecture.md), so every 4-tuple of the splice ({@link SpliceTables#tuplesOf}) is sent
 * to the controller:
 * <ul>
 *   <li>the client key: the client's packets, mapped by Fig. 5;</li>
 *   <li>its reverse: the first node's let-go end of c1 (strays must not reach the client);</li>
 *   <li>each reverse key: a target node's replies, mapped back to the client;</li>
 *   <li>each new connection's own direction: the handing-off node's let-go end (Fig. 3 intercepts its FIN).</li>
 * </ul>
 * With the fast path there are no per-splice rules: the XDP program in front of the switch ports holds
 * the same tuples, translates the newest range and tags the rest for the controller ({@link FastPathEntries}).
 */
public final class RuleCompiler {
    public static final int PUNT_PRIORITY = 40000;
    /** "SP" in the cookie's top bits marks this application's rules. */
    private static final long COOKIE_TAG = 0x5350L << 48;

    private RuleCompiler() {
    }

    /** The rules for the splice with this client key, in a fixed order; empty if there is no such splice. */
    public static List<SwitchRule> compile(SpliceTables tables, FourTuple clientKey) {
        long cookie = cookieOf(clientKey);
        List<SwitchRule> rules = new ArrayList<>();
        for (FourTuple tuple : tables.tuplesOf(clientKey)) {
            rules.add(punt(tuple, cookie));
        }
        Collections.sort(rules);
        return rules;
    }

    private static SwitchRule punt(FourTuple tuple, long cookie) {
        return new SwitchRule(PUNT_PRIORITY, tuple, cookie);
    }

    /** A stable tag for a splice's rules: the app marker and 48 bits of the client key's hash. */
    public static long cookieOf(FourTuple clientKey) {
        long h = Level1Hash.of(clientKey.srcIp, clientKey.srcPort, clientKey.dstIp, clientKey.dstPort) & 0xFFFF_FFFFL;
        return COOKIE_TAG | (h << 16) | (clientKey.srcPort & 0xFFFF);
    }
}
