package org.tcpsplice.core.vectors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.net.Ipv4;
import org.tcpsplice.core.net.MacAddress;
import org.tcpsplice.core.seq.SeqNum;
import org.tcpsplice.core.testing.Hex;

/** Reads and writes the line-based vector file (a format a C harness parses with sscanf). */
public final class VectorFile {
    static final String HEADER = String.join("\n",
            "# tcpsplice translator test vectors, format 1.",
            "# Generated from splice-core's Java switch logic (VectorCatalog); do not edit by hand.",
            "# Checked by splice-core's TestVectorFileTest and by the XDP fast path harness, byte for byte.",
            "# Regenerate after an intended behaviour change: scripts/regenerate-vectors.sh",
            "#",
            "# vector <name>",
            "# note <text>",
            "# entry <level-1 key a.b.c.d:p->e.f.g.h:q> <field>=<value> ...   (a key's entries newest first)",
            "#   handoff_seq handoff_ack seal_seq seal_ack: unsigned decimal; *_delta: signed decimal;",
            "#   new_src new_dst: a.b.c.d:p; src_mac dst_mac: aa:bb:..; out_port wscale_from wscale_to: decimal;",
            "#   toward_client sealed: 0 or 1",
            "# in <frame hex>",
            "# verdict <what the Java switch logic did, and why>",
            "# out <frame hex>            (the frame afterwards; equal to `in` unless translated)",
            "# fastpath translate|pass    (translate: XDP must output `out`; pass: XDP must leave `in` unchanged)",
            "# end",
            "");

    private VectorFile() {
    }

    public static String write(List<TestVector> vectors) {
        StringBuilder s = new StringBuilder(HEADER);
        for (TestVector v : vectors) {
            s.append("\nvector ").append(v.name).append('\n');
            s.append("note ").append(v.note).append('\n');
            for (TestVector.Table t : v.tables) {
                for (Level2Entry e : t.newestFirst) {
                    s.append("entry ").append(t.key).append(' ').append(fields(e)).append('\n');
                }
            }
            s.append("in ").append(Hex.of(v.in)).append('\n');
            s.append("verdict ").append(v.verdict).append('\n');
            s.append("out ").append(Hex.of(v.out)).append('\n');
            s.append("fastpath ").append(v.fastPathTranslates ? "translate" : "pass").append('\n');
            s.append("end\n");
        }
        return s.toString();
    }

    private static String fields(Level2Entry e) {
        return "handoff_seq=" + SeqNum.unsigned(e.handoffSeq) + " handoff_ack=" + SeqNum.unsigned(e.handoffAck)
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

    public static List<TestVector> read(String text) {
        List<TestVector> vectors = new ArrayList<>();
        String name = null;
        String note = "";
        Map<FourTuple, List<Level2Entry>> tables = new LinkedHashMap<>();
        byte[] in = null;
        byte[] out = null;
        String verdict = null;
        Boolean fast = null;
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            String word = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space + 1);
            try {
                switch (word) {
                    case "vector":
                        name = rest;
                        note = "";
                        tables = new LinkedHashMap<>();
                        in = null;
                        out = null;
                        verdict = null;
                        fast = null;
                        break;
                    case "note":
                        note = rest;
                        break;
                    case "entry": {
                        String[] parts = rest.split(" ", 2);
                        tables.computeIfAbsent(FourTuple.parse(parts[0]), k -> new ArrayList<>()).add(parseEntry(parts[1]));
                        break;
                    }
                    case "in":
                        in = Hex.parse(rest);
                        break;
                    case "verdict":
                        verdict = rest;
                        break;
                    case "out":
                        out = Hex.parse(rest);
                        break;
                    case "fastpath":
                        fast = "translate".equals(rest);
                        break;
                    case "end": {
                        if (name == null || in == null || out == null || verdict == null || fast == null) {
                            throw new IllegalArgumentException("incomplete vector");
                        }
                        List<TestVector.Table> list = new ArrayList<>();
                        tables.forEach((k, entries) -> list.add(new TestVector.Table(k, chain(entries))));
                        vectors.add(new TestVector(name, note, list, in, verdict, out, fast));
                        name = null;
                        break;
                    }
                    default:
                        throw new IllegalArgumentException("unknown line kind '" + word + "'");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("vector file line " + lineNo + ": " + e.getMessage(), e);
            }
        }
        return vectors;
    }

    /** Links entries read newest first into a level-2 chain (each entry's {@code older} set). */
    private static List<Level2Entry> chain(List<Level2Entry> newestFirst) {
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

    private static Level2Entry parseEntry(String text) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String kv : text.trim().split(" +")) {
            int eq = kv.indexOf('=');
            f.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        FourTuple src = FourTuple.parse(f.get("new_src") + "->" + f.get("new_dst"));
        Level2Entry e = Level2Entry.builder()
                .handoff((int) Long.parseLong(f.get("handoff_seq")), (int) Long.parseLong(f.get("handoff_ack")))
                .deltas(Integer.parseInt(f.get("seq_delta")), Integer.parseInt(f.get("ack_delta")))
                .timestampDeltas(Integer.parseInt(f.get("tsval_delta")), Integer.parseInt(f.get("tsecr_delta")))
                .rewriteTo(src)
                .macs(MacAddress.parse(f.get("src_mac")), MacAddress.parse(f.get("dst_mac")))
                .outPort(Integer.parseInt(f.get("out_port")))
                .windowShift(Integer.parseInt(f.get("wscale_from")), Integer.parseInt(f.get("wscale_to")))
                .towardClient("1".equals(f.get("toward_client")))
                .build();
        if ("1".equals(f.get("sealed"))) {
            e = e.sealedAt((int) Long.parseLong(f.get("seal_seq")), (int) Long.parseLong(f.get("seal_ack")));
        }
        return e;
    }
}
