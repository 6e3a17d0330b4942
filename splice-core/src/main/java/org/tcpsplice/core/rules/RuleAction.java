package org.tcpsplice.core.rules;

/** What a switch rule does with a matching packet. */
public final class RuleAction {
    public enum Type {
        /** Send to the controller, which maps and translates it in software (the slow path). */
        PUNT,
        /** Forward unchanged out of {@link #port} (already translated by the fast path). */
        OUTPUT
    }

    public static final RuleAction PUNT = new RuleAction(Type.PUNT, 0);

    public final Type type;
    public final int port;

    private RuleAction(Type type, int port) {
        this.type = type;
        this.port = port;
    }

    public static RuleAction output(int port) {
        return new RuleAction(Type.OUTPUT, port);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleAction && ((RuleAction) o).type == type && ((RuleAction) o).port == port;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + port;
    }

    @Override
    public String toString() {
        return type == Type.PUNT ? "controller" : "output:" + port;
    }
}
