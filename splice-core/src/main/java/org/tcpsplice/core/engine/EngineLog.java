package org.tcpsplice.core.engine;

import java.util.function.Supplier;

/** The engine's log lines, for the adapter's logger (splice-core has no logging dependency). */
@FunctionalInterface
public interface EngineLog {
    enum Level { DEBUG, INFO, WARN, ERROR }

    /** {@code message} is built only if the level is logged: per-connection lines are DEBUG, and many. */
    void log(Level level, Supplier<String> message);

    default void info(String message) {
        log(Level.INFO, () -> message);
    }

    default void warn(String message) {
        log(Level.WARN, () -> message);
    }

    default void error(String message) {
        log(Level.ERROR, () -> message);
    }

    default void debug(Supplier<String> message) {
        log(Level.DEBUG, message);
    }
}
