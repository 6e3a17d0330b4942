package org.tcpsplice.api.json;

import org.tcpsplice.core.handoff.ConnectionSnapshot;
import org.tcpsplice.core.net.FourTuple;

/**
 * One of the node's sockets at the handoff point. Sequence numbers and timestamps are unsigned
 * 32-bit values (0 to 4294967295), exactly as the kernel reports them.
 */
public final class ConnectionJson {
    /** The node's end, "ip:port". */
    public String local;
    /** The peer's end, "ip:port". */
    public String remote;
    public Long sndNxt;
    public Long rcvNxt;
    public OptionsJson options;
    public Long localTsClock;
    public Long peerTsRecent;

    ConnectionSnapshot toCore(String where) {
        FourTuple tuple = Fields.tuple(Fields.required(local, where + ".local"), Fields.required(remote, where + ".remote"),
                where);
        if (options == null) {
            throw new BadRequestField(where + ".options is required");
        }
        return new ConnectionSnapshot(tuple, Fields.u32(sndNxt, where + ".sndNxt"), Fields.u32(rcvNxt, where + ".rcvNxt"),
                options.toCore(where + ".options"), Fields.u32(localTsClock, where + ".localTsClock"),
                Fields.u32(peerTsRecent, where + ".peerTsRecent"));
    }
}
