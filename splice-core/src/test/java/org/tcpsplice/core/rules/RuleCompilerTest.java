package org.tcpsplice.core.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tcpsplice.core.testing.Figure2.*;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;
import org.tcpsplice.core.testing.Figure2;

/** The abstract rules for the Figure 2 splice, as both controllers will install them. */
class RuleCompilerTest {
    private final Figure2 fig = Figure2.afterBothHandoffs();

    private static List<String> text(List<SwitchRule> rules) {
        return rules.stream().map(r -> "tcp " + r.tuple + " -> controller @" + r.priority).collect(Collectors.toList());
    }

    @Test
    void everyTupleOfTheSpliceIsPunted() {
        List<SwitchRule> rules = RuleCompiler.compile(fig.tables, CLIENT_KEY);
        assertEquals(List.of(
                "tcp 10.0.0.1:40000->10.0.0.100:80 -> controller @40000",   // client's c1 (entry 212)
                "tcp 10.0.0.100:80->10.0.0.1:40000 -> controller @40000",   // A's let-go end of c1
                "tcp 10.0.1.1:50000->10.0.1.2:80 -> controller @40000",     // A's let-go end of c2
                "tcp 10.0.1.2:80->10.0.1.1:50000 -> controller @40000",     // B's replies (entry 214)
                "tcp 10.0.1.2:50001->10.0.1.3:80 -> controller @40000",     // B's let-go end of c3
                "tcp 10.0.1.3:80->10.0.1.2:50001 -> controller @40000"),    // C's replies (entry 216)
                text(rules));
        long cookie = RuleCompiler.cookieOf(CLIENT_KEY);
        assertTrue(rules.stream().allMatch(r -> r.cookie == cookie));
    }

    @Test
    void deterministicAndEmptyForUnknownSplices() {
        assertEquals(RuleCompiler.compile(fig.tables, CLIENT_KEY),
                RuleCompiler.compile(Figure2.afterBothHandoffs().tables, CLIENT_KEY));
        assertTrue(RuleCompiler.compile(new SpliceTables(), CLIENT_KEY).isEmpty());
        assertTrue(RuleCompiler.compile(fig.tables, C2.reversed()).isEmpty(),
                "a reverse key is not a splice");
        FourTuple other = new FourTuple(CLIENT, CLIENT_PORT + 1, SERVICE, HTTP);
        assertTrue(RuleCompiler.cookieOf(other) != RuleCompiler.cookieOf(CLIENT_KEY));
    }
}
