package org.tcpsplice.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a request for another node is handed off rather than relayed (plain logic, no sockets). */
class DispatchPolicyTest {
    private static DispatchPolicy policy(String dispatch, long aboveBytes, int afterRequests) {
        AgentConfig c = new AgentConfig();
        c.dispatch = dispatch;
        c.handoffAboveBytes = aboveBytes;
        c.handoffAfterRequests = afterRequests;
        return new DispatchPolicy(c);
    }

    @Test
    void aRunCountsRequestsForOneNodeInARow() {
        DispatchPolicy.Run run = new DispatchPolicy.Run();
        assertEquals(1, run.next("node2"));
        assertEquals(2, run.next("node2"));
        assertEquals(1, run.next("node1"), "a request for another node ends the run");
        assertEquals(1, run.next("node2"));
    }

    @Test
    void adaptiveHandsOffAConnectionThatSettledOnTheNode() {
        DispatchPolicy p = policy(AgentConfig.DISPATCH_ADAPTIVE, 1 << 20, 3);
        assertFalse(p.handsOff("/b/x", 1));
        assertFalse(p.handsOff("/b/x", 2));
        assertTrue(p.handsOff("/b/x", 3));
    }

    @Test
    void adaptiveHandsOffAPathWhoseRelayedResponseWasLong() {
        DispatchPolicy p = policy(AgentConfig.DISPATCH_ADAPTIVE, 1000, 8);
        assertFalse(p.handsOff("/b/big", 1), "nothing known yet: relayed");
        p.relayed("/b/big", 999);
        assertFalse(p.handsOff("/b/big", 1));
        p.relayed("/b/big", 1000);
        assertTrue(p.handsOff("/b/big", 1));
        p.relayed("/b/big", -1);
        assertTrue(p.handsOff("/b/big", 1), "a response without a length leaves what was learned");
        p.relayed("/b/big", 10);
        assertFalse(p.handsOff("/b/big", 1), "the last length counts");
    }

    @Test
    void theRememberedPathsAreBounded() {
        DispatchPolicy p = policy(AgentConfig.DISPATCH_ADAPTIVE, 1000, 8);
        p.relayed("/first", 5000);
        for (int i = 0; i < DispatchPolicy.REMEMBERED_PATHS; i++) {
            p.relayed("/other/" + i, 5000);
        }
        assertFalse(p.handsOff("/first", 1), "the least recently used path was forgotten");
        assertTrue(p.handsOff("/other/1", 1));
    }

    @Test
    void alwaysHandsOffEveryRequestForAnotherNode() {
        assertTrue(policy(AgentConfig.DISPATCH_ALWAYS, 1 << 20, 8).handsOff("/b/x", 1));
    }
}
