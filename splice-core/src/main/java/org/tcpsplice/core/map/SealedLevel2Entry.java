package org.tcpsplice.core.map;

/**
 * A reverse entry whose node has handed the connection on (A to B, then B to C seals B's entry).
 * Its older bytes still map to the client; anything the node sends past the seal is a stray.
 * A subclass, so that the common unsealed entry does not carry these fields (memory per splice).
 */
final class SealedLevel2Entry extends Level2Entry {
    private final int sealSeq;
    private final int sealAck;

    SealedLevel2Entry(Level2Entry entry, int sealSeq, int sealAck) {
        super(entry);
        this.sealSeq = sealSeq;
        this.sealAck = sealAck;
    }

    @Override
    public boolean sealed() {
        return true;
    }

    @Override
    public int sealSeq() {
        return sealSeq;
    }

    @Override
    public int sealAck() {
        return sealAck;
    }
}
