package org.tcpsplice.api.json;

import org.tcpsplice.core.handoff.TcpOptions;

/** Negotiated TCP options of one socket, as TCP_INFO reports them. */
public final class OptionsJson {
    public Integer peerMss;
    public Integer localMss;
    public Integer peerWindowShift;
    public Integer localWindowShift;
    public Boolean sack;
    public Boolean timestamps;

    TcpOptions toCore(String where) {
        return new TcpOptions(Fields.required(peerMss, where + ".peerMss"), Fields.required(localMss, where + ".localMss"),
                Fields.required(peerWindowShift, where + ".peerWindowShift"),
                Fields.required(localWindowShift, where + ".localWindowShift"),
                Fields.required(sack, where + ".sack"), Fields.required(timestamps, where + ".timestamps"));
    }
}
