package org.tcpsplice.api.json;

import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.MacAddress;
import org.tcpsplice.core.seq.SeqNum;

/** A level-2 entry as JSON (patent Fig. 2 columns, plus what the data path needs). */
public final class EntryJson {
    public long handoffSeq;
    public long handoffAck;
    public int seqDelta;
    public int ackDelta;
    public int tsvalDelta;
    public int tsecrDelta;
    /** The rewritten 4-tuple, "a:p->b:q". */
    public String rewriteTo;
    public String srcMac;
    public String dstMac;
    public int outPort;
    public int windowShiftFrom;
    public int windowShiftTo;
    public boolean sealed;
    public Long sealSeq;
    public Long sealAck;

    public static EntryJson of(Level2Entry e) {
        EntryJson j = new EntryJson();
        j.handoffSeq = SeqNum.unsigned(e.handoffSeq);
        j.handoffAck = SeqNum.unsigned(e.handoffAck);
        j.seqDelta = e.seqDelta;
        j.ackDelta = e.ackDelta;
        j.tsvalDelta = e.tsvalDelta;
        j.tsecrDelta = e.tsecrDelta;
        j.rewriteTo = e.rewrittenTuple().toString();
        j.srcMac = MacAddress.format(e.newSrcMac());
        j.dstMac = MacAddress.format(e.newDstMac());
        j.outPort = e.outPort;
        j.windowShiftFrom = e.windowShiftFrom;
        j.windowShiftTo = e.windowShiftTo;
        j.sealed = e.sealed();
        if (e.sealed()) {
            j.sealSeq = SeqNum.unsigned(e.sealSeq());
            j.sealAck = SeqNum.unsigned(e.sealAck());
        }
        return j;
    }
}
