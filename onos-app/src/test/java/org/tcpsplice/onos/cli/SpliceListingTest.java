package org.tcpsplice.onos.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;
import org.tcpsplice.core.map.SpliceText;
import org.tcpsplice.core.testing.Figure2;

/** What the CLI commands print, for the Figure 2 splice. */
public class SpliceListingTest {
    @Test
    public void summaryAndDetailsOfTheFigure2Splice() {
        String text = SpliceText.format(Figure2.afterBothHandoffs().tables, Figure2.CLIENT_KEY);
        assertEquals("10.0.0.1:40000-10.0.0.100:80  handoffs=2", SpliceListing.summary(Figure2.CLIENT_KEY, text));
        List<String> details = SpliceListing.details(text);
        assertEquals("two client-key entries and one reverse entry per handoff", 4, details.size());
        assertTrue(details.get(0).contains("handoff_seq=9000 handoff_ack=10000"));
        assertEquals(Figure2.CLIENT_KEY, SpliceListing.parseId("10.0.0.1:40000-10.0.0.100:80"));
    }

    @Test(expected = IllegalArgumentException.class)
    public void aBadIdIsRefusedWithAMessage() {
        SpliceListing.parseId("garbage");
    }
}
