package org.tcpsplice.core.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.tcpsplice.core.testing.Hex;

/**
 * The from-scratch checksum that the translator's incremental updates are compared against is itself
 * anchored to published examples, so the two cannot be wrong together.
 */
class ChecksumTest {
    @Test
    void rfc1071WorkedExample() {
        // RFC 1071 section 3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (one's complement, folded).
        byte[] b = Hex.parse("0001f203f4f5f6f7");
        assertEquals(0xDDF2, Checksum.fold(Checksum.sum(b, 0, b.length)));
    }

    @Test
    void knownIpv4HeaderChecksum() {
        // A widely used example header (192.168.0.1 -> 192.168.0.199, UDP, total length 115): checksum b861.
        byte[] header = Hex.parse("450000730000400040110000c0a80001c0a800c7");
        assertEquals(0xB861, Checksum.ipv4Header(header, 0, 20));
    }

    @Test
    void incrementalUpdateMatchesRfc1624() {
        // RFC 1624 section 4 example: HC = 0xDD2F, a field changes 0x5555 -> 0x3285; HC' = 0x0000.
        assertEquals(0x0000, Checksum.finish(Checksum.replace16(Checksum.begin(0xDD2F), 0x5555, 0x3285)));
    }
}
