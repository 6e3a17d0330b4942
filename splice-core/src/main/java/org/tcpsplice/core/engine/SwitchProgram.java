package org.tcpsplice.core.engine;

import java.util.List;
import java.util.concurrent.CompletionStage;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.SwitchRule;

/**
 * The flows the engine asks the switch for, in the adapter's terms (openflowj flow-mods, ONOS flow
 * rules). The standing rules (the VIP's and the nodes') are the adapter's own: they depend on its
 * pipeline, not on any connection.
 */
public interface SwitchProgram {
    /** Whether a switch is connected and may be programmed. */
    boolean available();

    /**
     * A new connection's two steering flows (Fig. 4, 433-435): client to service out to the node (its
     * MAC written), and back to the client's port; idle-timed. Completes when a packet sent after it
     * follows them (an ordered OpenFlow channel: at once; ONOS: once installed).
     */
    CompletionStage<Void> steer(FourTuple connection, Node node, int clientPort, int idleSeconds);

    /** Only the way back to the client, for a splice restored from a store whose steering flows are gone. */
    void steerBack(FourTuple towardClient, int clientPort, int idleSeconds);

    /** Removes a connection's steering flows (its splice ended: a reused port must be a new connection). */
    void endSteering(FourTuple connection);

    /** Slow path: the flow of its own a node's connection gets once it carries payload outside any splice. */
    void nodeConnectionFlow(FourTuple direction, int idleSeconds);

    /**
     * Takes a splice from rules {@code remove} to rules {@code add}. Completes when the switch holds
     * them, or at once where {@link #confirm} confirms everything sent before it.
     */
    CompletionStage<Void> changeRules(List<SwitchRule> remove, List<SwitchRule> add);

    /** Returns once the switch has applied everything sent so far (a barrier); no-op where changeRules confirms. */
    void confirm(long timeoutMillis) throws Exception;
}
