package org.tcpsplice.core.net;

/** The one hash of a 4-tuple, shared by {@link FourTuple#hashCode()} and the level-1 map's slots. */
public final class Level1Hash {
    private Level1Hash() {
    }

    public static int of(int srcIp, int srcPort, int dstIp, int dstPort) {
        long h = ((long) srcIp << 32) ^ (dstIp & 0xFFFF_FFFFL);
        h ^= ((long) srcPort << 16 | dstPort) * 0x9E37_79B9_7F4A_7C15L;
        // MurmurHash3 finalizer: client ports are sequential, so spread every input bit.
        h ^= h >>> 33;
        h *= 0xFF51_AFD7_ED55_8CCDL;
        h ^= h >>> 33;
        h *= 0xC4CE_B9FE_1A85_EC53L;
        h ^= h >>> 33;
        return (int) h;
    }
}
