package org.tcpsplice.core.map;

import org.tcpsplice.core.handoff.HandoffRefusal;
import org.tcpsplice.core.net.FourTuple;

/** The result of one handoff: applied, an idempotent repeat, or refused with a reason. */
public final class HandoffOutcome {
    public enum Kind { APPLIED, DUPLICATE, REFUSED }

    public final Kind kind;
    /** Set when refused. */
    public final HandoffRefusal refusal;
    public final String message;
    /** The splice's client key (set unless refused before the connection was identified). */
    public final FourTuple clientKey;
    /** The level-2 entries this handoff created (or, for a duplicate, had created). */
    public final Level2Entry forwardEntry;
    public final Level2Entry reverseEntry;

    private HandoffOutcome(Kind kind, HandoffRefusal refusal, String message, FourTuple clientKey,
                           Level2Entry forwardEntry, Level2Entry reverseEntry) {
        this.kind = kind;
        this.refusal = refusal;
        this.message = message;
        this.clientKey = clientKey;
        this.forwardEntry = forwardEntry;
        this.reverseEntry = reverseEntry;
    }

    static HandoffOutcome applied(FourTuple clientKey, Level2Entry forward, Level2Entry reverse) {
        return new HandoffOutcome(Kind.APPLIED, null, "spliced", clientKey, forward, reverse);
    }

    static HandoffOutcome duplicate(FourTuple clientKey, Level2Entry forward, Level2Entry reverse) {
        return new HandoffOutcome(Kind.DUPLICATE, null, "already spliced with these numbers", clientKey,
                forward, reverse);
    }

    public static HandoffOutcome refused(HandoffRefusal reason, String message, FourTuple clientKey) {
        return new HandoffOutcome(Kind.REFUSED, reason, message, clientKey, null, null);
    }

    /** A refusal decided before the tables were consulted (an adapter's own checks). */
    public static HandoffOutcome refusedBeforeLookup(HandoffRefusal reason, String message) {
        return refused(reason, message, null);
    }

    public boolean accepted() {
        return kind != Kind.REFUSED;
    }

    @Override
    public String toString() {
        return kind + (refusal != null ? " " + refusal : "") + ": " + message
                + (clientKey != null ? " (client " + clientKey + ")" : "");
    }
}
