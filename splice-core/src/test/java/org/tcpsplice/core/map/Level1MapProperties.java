package org.tcpsplice.core.map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.tcpsplice.core.net.FourTuple;

/** The open-addressing level-1 map behaves like a HashMap under any sequence of puts and removes. */
class Level1MapProperties {

    @Property(tries = 200)
    void behavesLikeAHashMap(@ForAll long seed) {
        Random r = new Random(seed);
        Level1Map map = new Level1Map(r.nextInt(40));
        Map<FourTuple, Level2Entry> model = new HashMap<>();
        // A small key space makes collisions, re-puts and removal chains (backward shifts) common.
        int ips = 1 + r.nextInt(6);
        for (int op = 0; op < 2000; op++) {
            FourTuple k = new FourTuple(r.nextInt(ips), r.nextInt(8), r.nextInt(ips), 80);
            if (r.nextInt(3) == 0) {
                assertEquals(model.remove(k) != null, map.remove(k.srcIp, k.srcPort, k.dstIp, k.dstPort));
            } else {
                Level2Entry e = Level2Entry.builder().handoff(op, op).build();
                map.put(k.srcIp, k.srcPort, k.dstIp, k.dstPort, e, op);
                model.put(k, e);
            }
            assertEquals(model.size(), map.size());
        }
        for (int a = 0; a < ips; a++) {
            for (int p = 0; p < 8; p++) {
                for (int b = 0; b < ips; b++) {
                    FourTuple k = new FourTuple(a, p, b, 80);
                    assertSame(model.get(k), map.get(a, p, b, 80), k.toString());
                }
            }
        }
    }

    @Property(tries = 20)
    void growsFromEmptyToManyKeys(@ForAll long seed) {
        Random r = new Random(seed);
        Level1Map map = new Level1Map(0);
        Map<FourTuple, Level2Entry> model = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            FourTuple k = new FourTuple(r.nextInt(), 1 + r.nextInt(0xFFFF), r.nextInt(), 80);
            Level2Entry e = Level2Entry.builder().build();
            map.put(k.srcIp, k.srcPort, k.dstIp, k.dstPort, e, 0);
            model.put(k, e);
        }
        model.forEach((k, e) -> assertSame(e, map.get(k.srcIp, k.srcPort, k.dstIp, k.dstPort)));
        assertEquals(model.size(), map.size());
    }
}
