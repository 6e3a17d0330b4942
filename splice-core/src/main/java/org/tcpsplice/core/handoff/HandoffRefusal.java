package org.tcpsplice.core.handoff;

/** Why a handoff was refused. A refused handoff changes nothing. */
public enum HandoffRefusal {
    /** Missing or impossible fields (REST: 400). */
    MALFORMED,
    /** The client-side connection is not one the switch knows (REST: 404). */
    UNKNOWN_CONNECTION,
    /** The requester does not currently serve the connection, or c2 is not its own (REST: 403). */
    NOT_CURRENT_OWNER,
    /** The numbers lie before the newest handoff of this connection (REST: 409). */
    STALE_SEQUENCE,
    /** The new connection is already part of a splice, or repeats a handoff with other numbers (409). */
    CONFLICT,
    /** The two connections negotiated options that cannot be spliced (timestamps, MSS) (409). */
    OPTIONS_MISMATCH,
    /** The requester is not a configured node (REST: 403). */
    UNKNOWN_NODE,
    /**
     * A first handoff of a connection whose client's MAC and switch port nobody knows (its SYN came
     * before this controller instance, and no host service knows the client): a splice toward MAC 0
     * on port 0 would black-hole it (REST: 503).
     */
    CLIENT_NOT_LOCATED,
    /** No switch to program, or it did not confirm the rules in time and the handoff was undone (REST: 503). */
    SWITCH_UNAVAILABLE
}
