package org.tcpsplice.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.tcpsplice.core.testing.Hex;

/** ARP for the VIP, byte by byte (a request as Linux sends it). */
class ArpResponderTest {
    private static final int VIP = 0x0A000064;
    private static final long VIP_MAC = 0x0200000000feL;
    // who-has 10.0.0.100 tell 10.0.0.1, from 02:00:00:00:00:01
    private static final String REQUEST = "ffffffffffff020000000001" + "0806" + "0001080006040001"
            + "020000000001" + "0a000001" + "000000000000" + "0a000064";

    @Test
    void answersARequestForTheVip() {
        byte[] reply = ArpResponder.replyFor(Hex.parse(REQUEST), VIP, VIP_MAC);
        assertEquals("020000000001" + "0200000000fe" + "0806" + "0001080006040002"
                + "0200000000fe" + "0a000064" + "020000000001" + "0a000001", Hex.of(reply));
    }

    @Test
    void ignoresEverythingElse() {
        assertNull(ArpResponder.replyFor(Hex.parse(REQUEST.replace("0a000064", "0a000065")), VIP, VIP_MAC), "other IP");
        assertNull(ArpResponder.replyFor(Hex.parse(REQUEST.replace("0001080006040001", "0001080006040002")), VIP, VIP_MAC),
                "a reply, not a request");
        assertNull(ArpResponder.replyFor(new byte[20], VIP, VIP_MAC), "too short");
    }
}
