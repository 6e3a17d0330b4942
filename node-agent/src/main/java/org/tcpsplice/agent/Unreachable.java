package org.tcpsplice.agent;

import java.io.IOException;

/**
 * A server this node must reach for a request did not accept the connection: its own web server, or
 * the node a request belongs to. The client gets a 502 instead of a silently closed connection.
 */
final class Unreachable extends IOException {
    private static final long serialVersionUID = 1L;

    Unreachable(String what, Object address, IOException cause) {
        super(what + " at " + address + " is unreachable: " + cause.getMessage(), cause);
    }
}
