package org.tcpsplice.api.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
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
        // Sized by the declared length when there is one (a handoff is well under 2 KiB), grown up to
        // the limit otherwise: this runs for every request, so it should not allocate the limit each time.
        byte[] body = new byte[request.getLength() >= 0 ? request.getLength() + 1 : Math.min(limit + 1, 2048)];
        int read = 0;
        while (true) {
            if (read == body.length) {
                if (body.length > limit) {
                    throw tooLarge();
                }
                body = Arrays.copyOf(body, Math.min(limit + 1, body.length * 2));
            }
            int n = in.read(body, read, body.length - read);
            if (n <= 0) {
                break;
            }
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
