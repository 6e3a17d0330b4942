package org.tcpsplice.core.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.net.MacAddress;
import org.tcpsplice.core.seq.SeqNum;

/**
 * Level-2 entries as one line of text each: {@code <level-1 key> field=value ...}. The form of the
 * shared test-vector file and of the controller's journal; a C harness parses it with sscanf.
 */
public final class EntryText {
    private EntryText() {
    }

    /** One entry under its level-1 key. */
    public static String format(FourTuple key, Level2Entry e) {
        return key + " handoff_seq=" + SeqNum.unsigned(e.handoffSeq) + " handoff_ack=" + SeqNum.unsigned(e.handoffAck)
                + " seq_delta=" + e.seqDelta + " ack_delta=" + e.ackDelta
                + " tsval_delta=" + e.tsvalDelta + " tsecr_delta=" + e.tsecrDelta
                + " new_src=" + Ipv4.format(e.newSrcIp) + ":" + (int) e.newSrcPort
                + " new_dst=" + Ipv4.format(e.newDstIp) + ":" + (int) e.newDstPort
                + " src_mac=" + MacAddress.format(e.newSrcMac()) + " dst_mac=" + MacAddress.format(e.newDstMac())
                + " out_port=" + e.outPort + " wscale_from=" + e.windowShiftFrom + " wscale_to=" + e.windowShiftTo
                + " toward_client=" + (e.towardClient ? 1 : 0) + " sealed=" + (e.sealed() ? 1 : 0)
                + " seal_seq=" + (e.sealed() ? SeqNum.unsigned(e.sealSeq()) : 0)
                + " seal_ack=" + (e.sealed() ? SeqNum.unsigned(e.sealAck()) : 0);
    }

    /** The key of a line written by {@link #format}. */
    public static FourTuple key(String line) {
        return FourTuple.parse(line.trim().split(" ", 2)[0]);
    }

    /** The entry of a line written by {@link #format}, unlinked ({@code older} is null). */
    public static Level2Entry entry(String line) {
        String[] parts = line.trim().split(" ", 2);
        if (parts.length < 2) {
            throw new IllegalArgumentException("entry line without fields: '" + line + "'");
        }
        Map<String, String> f = new LinkedHashMap<>();
        for (String kv : parts[1].trim().split(" +")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("not field=value: '" + kv + "'");
            }
            f.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Level2Entry e = Level2Entry.builder()
                .handoff(u32(f, "handoff_seq"), u32(f, "handoff_ack"))
                .deltas(i32(f, "seq_delta"), i32(f, "ack_delta"))
                .timestampDeltas(i32(f, "tsval_delta"), i32(f, "tsecr_delta"))
                .rewriteTo(FourTuple.parse(field(f, "new_src") + "->" + field(f, "new_dst")))
                .macs(MacAddress.parse(field(f, "src_mac")), MacAddress.parse(field(f, "dst_mac")))
                .outPort(i32(f, "out_port"))
                .windowShift(i32(f, "wscale_from"), i32(f, "wscale_to"))
                .towardClient("1".equals(field(f, "toward_client")))
                .build();
        return "1".equals(field(f, "sealed")) ? e.sealedAt(u32(f, "seal_seq"), u32(f, "seal_ack")) : e;
    }

    /** Links entries given newest first into a level-2 chain; returns the chain, newest first. */
    public static List<Level2Entry> chain(List<Level2Entry> newestFirst) {
        List<Level2Entry> linked = new ArrayList<>();
        Level2Entry older = null;
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            Level2Entry e = newestFirst.get(i);
            Level2Entry relinked = e.toBuilder().buildOnTop(older);
            if (e.sealed()) {
                relinked = relinked.sealedAt(e.sealSeq(), e.sealAck());
            }
            linked.add(0, relinked);
            older = relinked;
        }
        return linked;
    }

    private static String field(Map<String, String> f, String name) {
        String v = f.get(name);
        if (v == null) {
            throw new IllegalArgumentException("missing field " + name);
        }
        return v;
    }

    private static int u32(Map<String, String> f, String name) {
        long v = Long.parseLong(field(f, name));
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(name + " out of range: " + v);
        }
        return (int) v;
    }

    private static int i32(Map<String, String> f, String name) {
        return Integer.parseInt(field(f, name));
    }
}
