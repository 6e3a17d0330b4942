package org.tcpsplice.api;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.tcpsplice.core.engine.EngineLog;

/** The engine's log lines through slf4j (both controllers log through it: ONOS's pax-logging, the standalone slf4j-simple). */
public final class Slf4jEngineLog implements EngineLog {
    private final Logger log;

    public Slf4jEngineLog(Logger log) {
        this.log = log;
    }

    @Override
    public void log(Level level, Supplier<String> message) {
        switch (level) {
            case DEBUG:
                if (log.isDebugEnabled()) {
                    log.debug(message.get());
                }
                break;
            case INFO:
                log.info(message.get());
                break;
            case WARN:
                log.warn(message.get());
                break;
            default:
                log.error(message.get());
        }
    }
}
