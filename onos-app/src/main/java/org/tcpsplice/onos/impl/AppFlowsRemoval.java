package org.tcpsplice.onos.impl;

import org.onosproject.core.ApplicationId;
import org.onosproject.net.flow.FlowRuleService;

/**
 * The app's flow rules removed at deactivation, and waited for until ONOS's flow store holds none of
 * them. ONOS runs flow operations on pools of threads, so a removal and an add of the same rule (the
 * app deactivated and at once activated again, which gives every standing rule and restored splice
 * rule the same flow id as before) can be stored and sent to the switch in either order; when the add
 * goes first, the removal deletes the new rule from the switch and the store, and nothing puts it back.
 * A rule is out of the store only once the switch has confirmed its removal, so after this the next
 * activation's rules are new to both.
 */
final class AppFlowsRemoval {
    private static final long POLL_MILLIS = 20;

    private AppFlowsRemoval() {
    }

    /**
     * Removes every flow rule of the app and waits until none is left in the store, at most
     * {@code timeoutMillis} (an unavailable switch never confirms). Returns how many were still there.
     */
    static int removeAndWait(FlowRuleService flows, ApplicationId app, long timeoutMillis) throws InterruptedException {
        flows.removeFlowRulesById(app);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int left;
        while ((left = count(flows.getFlowEntriesById(app))) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
        return left;
    }

    private static int count(Iterable<?> entries) {
        int n = 0;
        for (Object ignored : entries) {
            n++;
        }
        return n;
    }
}
