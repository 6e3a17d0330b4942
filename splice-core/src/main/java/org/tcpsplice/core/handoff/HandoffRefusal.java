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
    OPTIONS_MISMATCH
}
