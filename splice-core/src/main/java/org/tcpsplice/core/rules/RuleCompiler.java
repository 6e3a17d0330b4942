package org.tcpsplice.core.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Level1Hash;

/**
 * Compiles a splice in the tables into the switch rules it needs. No OpenFlow switch can rewrite
 * seq/ack (DESIGN.md), so every 4-tuple of the splice is sent to the controller (slow path):
 * <ul>
 *   <li>the client key: the client's packets, mapped by Fig. 5;</li>
 *   <li>its reverse: the first node's let-go end of c1 (strays must not reach the client);</li>
 *   <li>each reverse key: a target node's replies, mapped back to the client;</li>
 *   <li>each new connection's own direction: the handing-off node's let-go end (Fig. 3 intercepts its FIN).</li>
 * </ul>
 * With the fast path (an XDP translator in front of the switch ports) the newest range is
 * rewritten before the switch sees it; two higher-priority rules forward those already-translated
 * packets, told apart from the let-go ends' own packets by their ingress port.
 */
public final class RuleCompiler {
    public static final int PUNT_PRIORITY = 40000;
    public static final int FAST_PATH_PRIORITY = 40100;
    /** "SP" in the cookie's top bits marks this application's rules. */
    private static final long COOKIE_TAG = 0x5350L << 48;

    public enum Mode { SLOW_PATH, FAST_PATH }

    private RuleCompiler() {
    }

    /** The rules for the splice with this client key, in a fixed order; empty if there is no such splice. */
    public static List<SwitchRule> compile(SpliceTables tables, FourTuple clientKey, Mode mode) {
        Level2Entry clientTable = tables.level2Table(clientKey);
        if (clientTable == null || clientTable.towardClient) {
            return Collections.emptyList();
        }
        long cookie = cookieOf(clientKey);
        Set<SwitchRule> rules = new LinkedHashSet<>();
        rules.add(punt(clientKey, cookie));
        rules.add(punt(clientKey.reversed(), cookie));
        for (Level2Entry forward = clientTable; forward != null; forward = forward.older) {
            FourTuple newConnection = forward.rewrittenTuple();
            rules.add(punt(newConnection.reversed(), cookie));
            rules.add(punt(newConnection, cookie));
        }
        if (mode == Mode.FAST_PATH) {
            Level2Entry newestReverse = tables.level2Table(clientTable.rewrittenTuple().reversed());
            if (newestReverse != null) {
                int clientPort = newestReverse.outPort;
                int nodePort = clientTable.outPort;
                rules.add(new SwitchRule(FAST_PATH_PRIORITY, new RuleMatch(clientPort, clientTable.rewrittenTuple()),
                        RuleAction.output(nodePort), cookie));
                rules.add(new SwitchRule(FAST_PATH_PRIORITY, new RuleMatch(nodePort, newestReverse.rewrittenTuple()),
                        RuleAction.output(clientPort), cookie));
            }
        }
        List<SwitchRule> sorted = new ArrayList<>(rules);
        Collections.sort(sorted);
        return sorted;
    }

    private static SwitchRule punt(FourTuple tuple, long cookie) {
        return new SwitchRule(PUNT_PRIORITY, new RuleMatch(RuleMatch.ANY_PORT, tuple), RuleAction.PUNT, cookie);
    }

    /** A stable tag for a splice's rules: the app marker and 48 bits of the client key's hash. */
    public static long cookieOf(FourTuple clientKey) {
        long h = Level1Hash.of(clientKey.srcIp, clientKey.srcPort, clientKey.dstIp, clientKey.dstPort) & 0xFFFF_FFFFL;
        return COOKIE_TAG | (h << 16) | (clientKey.srcPort & 0xFFFF);
    }
}
