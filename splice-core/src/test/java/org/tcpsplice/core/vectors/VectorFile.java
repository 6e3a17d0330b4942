package org.tcpsplice.core.vectors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tcpsplice.core.map.EntryText;
import org.tcpsplice.core.map.Level2Entry;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.rules.FastPathEntries;
import org.tcpsplice.core.testing.Hex;

/** Reads and writes the line-based vector file (a format a C harness parses with sscanf). */
public final class VectorFile {
    static final String HEADER = String.join("\n",
            "# tcpsplice translator test vectors, format 3.",
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
            "# map <key> translate|tag|retired last_seq=<n> last_ack=<n>   (what the fast path's map holds: every",
            "#   tuple of the splices; translate: by the key's newest entry above, in the XDP layout; retired:",
            "#   an end that let go, passed on within what it may still send (seq and ack, unsigned decimal);",
            "#   tag: nothing to translate by)",
            "# in <frame hex>",
            "# verdict <what the Java switch logic did, and why>",
            "# out <frame hex>            (the frame afterwards; equal to `in` unless translated)",
            "# fastpath translate|tag|pass|drop   (what XDP must do: output `out`; output `in` with the punt",
            "#   VLAN tag inserted after the MACs; pass `in` unchanged; drop it)",
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
                    s.append("entry ").append(EntryText.format(t.key, e)).append('\n');
                }
            }
            v.fastPathMap.forEach((key, kind) -> s.append("map ").append(key).append(' ').append(kind).append('\n'));
            s.append("in ").append(Hex.of(v.in)).append('\n');
            s.append("verdict ").append(v.verdict).append('\n');
            s.append("out ").append(Hex.of(v.out)).append('\n');
            s.append("fastpath ").append(v.fastPath.name().toLowerCase(Locale.ROOT)).append('\n');
            s.append("end\n");
        }
        return s.toString();
    }

    public static List<TestVector> read(String text) {
        List<TestVector> vectors = new ArrayList<>();
        String name = null;
        String note = "";
        Map<FourTuple, List<Level2Entry>> tables = new LinkedHashMap<>();
        byte[] in = null;
        byte[] out = null;
        String verdict = null;
        Map<FourTuple, String> map = new LinkedHashMap<>();
        FastPathEntries.Action fast = null;
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
                        map = new LinkedHashMap<>();
                        fast = null;
                        break;
                    case "note":
                        note = rest;
                        break;
                    case "entry":
                        tables.computeIfAbsent(EntryText.key(rest), k -> new ArrayList<>()).add(EntryText.entry(rest));
                        break;
                    case "map": {
                        int keyEnd = rest.indexOf(' ');
                        map.put(EntryText.key(rest.substring(0, keyEnd)), rest.substring(keyEnd + 1));
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
                        fast = FastPathEntries.Action.valueOf(rest.toUpperCase(Locale.ROOT));
                        break;
                    case "end": {
                        if (name == null || in == null || out == null || verdict == null || fast == null) {
                            throw new IllegalArgumentException("incomplete vector");
                        }
                        List<TestVector.Table> list = new ArrayList<>();
                        tables.forEach((k, entries) -> list.add(new TestVector.Table(k, EntryText.chain(entries))));
                        vectors.add(new TestVector(name, note, list, in, verdict, out, map, fast));
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
}
