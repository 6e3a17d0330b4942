package org.tcpsplice.core.map;

/** What Fig. 5 decided for one packet: rewrite it by an entry, let it pass unchanged, or drop it. */
public final class MappingDecision {
    public enum Kind { TRANSLATE, FORWARD_UNCHANGED, DROP }

    /** Why; each reason belongs to one kind. */
    public enum Reason {
        /** In the range of {@link #entry}. */
        IN_RANGE(Kind.TRANSLATE),
        /** No level-1 entry in either direction: not spliced (step 522). */
        NO_LEVEL1_MATCH(Kind.FORWARD_UNCHANGED),
        /** Spliced, but from before the first handoff: goes to its own (original) destination. */
        BEFORE_FIRST_HANDOFF(Kind.FORWARD_UNCHANGED),
        /** From an end that let go, within what it had sent before the handoff (a retransmission). */
        RETIRED_END_OLD_RANGE(Kind.FORWARD_UNCHANGED),
        /** A SYN on a 4-tuple a live splice uses: a new connection would collide with it (port reuse). */
        SYN_ON_SPLICED_TUPLE(Kind.DROP),
        /** From a node that handed the connection on: past its handoff point, FIN/RST, or a pure ACK. */
        STRAY_PAST_HANDOFF(Kind.DROP),
        /** From an end that let go, past its handoff point (or FIN/RST): Fig. 3 says nobody sees it. */
        STRAY_FROM_RETIRED_END(Kind.DROP);

        public final Kind kind;

        Reason(Kind kind) {
            this.kind = kind;
        }
    }

    private static final MappingDecision[] NO_ENTRY = new MappingDecision[Reason.values().length];

    static {
        for (Reason r : Reason.values()) {
            NO_ENTRY[r.ordinal()] = new MappingDecision(r, null, false);
        }
    }

    public final Reason reason;
    /** The level-2 entry to translate by (TRANSLATE only). */
    public final Level2Entry entry;
    /**
     * Whether {@link #entry} is its table's newest (TRANSLATE only): what the fast path translates
     * itself; false for an older range, which only the controller maps (Fig. 5).
     */
    public final boolean newestRange;

    private MappingDecision(Reason reason, Level2Entry entry, boolean newestRange) {
        this.reason = reason;
        this.entry = entry;
        this.newestRange = newestRange;
    }

    static MappingDecision translate(Level2Entry entry, boolean newestRange) {
        return new MappingDecision(Reason.IN_RANGE, entry, newestRange);
    }

    static MappingDecision of(Reason reason) {
        if (reason == Reason.IN_RANGE) {
            throw new IllegalArgumentException("a translation needs an entry");
        }
        return NO_ENTRY[reason.ordinal()];
    }

    public Kind kind() {
        return reason.kind;
    }

    @Override
    public String toString() {
        return reason + (entry != null ? " " + entry : "");
    }
}
