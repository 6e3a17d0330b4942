package org.tcpsplice.api.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import org.tcpsplice.api.ApiException;

/**
 * Refuses bodies over a limit (413) before anything parses them. Bodies without a declared length
 * are read up to the limit first, so the answer never depends on where in an oversized body a
 * parser would have stopped, nor on the container (the JDK server, ONOS's Jersey) declaring lengths.
 */
@Priority(Priorities.AUTHENTICATION - 100)
public final class BodyLimitFilter implements ContainerRequestFilter {
    /** A handoff body is well under 2 KiB. */
    public static final int DEFAULT_LIMIT = 16 * 1024;

    private final int limit;

    public BodyLimitFilter(int limit) {
        this.limit = limit;
    }

    @Override
    public void filter(ContainerRequestContext request) throws IOException {
        if (request.getLength() > limit) {
            throw tooLarge();
        }
        if (!request.hasEntity()) {
            return;
        }
        InputStream in = request.getEntityStream();
        byte[] body = new byte[limit + 1];
        int read = 0;
        for (int n; read < body.length && (n = in.read(body, read, body.length - read)) > 0; ) {
            read += n;
        }
        if (read > limit) {
            throw tooLarge();
        }
        request.setEntityStream(new ByteArrayInputStream(body, 0, read));
    }

    private ApiException tooLarge() {
        return new ApiException(413, "BODY_TOO_LARGE", "request bodies are limited to " + limit + " bytes");
    }
}
