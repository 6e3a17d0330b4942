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
        if (request.hasEntity() || request.getLength() > limit) {
            request.setEntityStream(read(request.getEntityStream(), request.getLength(), limit));
        }
    }

    /**
     * The whole body, or 413 when it is over the limit (by its declared length, -1 when none, or by
     * what arrives).
     */
    public static ByteArrayInputStream read(InputStream in, long declaredLength, int limit) throws IOException {
        if (declaredLength > limit) {
            throw tooLarge(limit);
        }
        // Sized by the declared length when there is one (a handoff is well under 2 KiB), grown up to
        // the limit otherwise: this runs for every request, so it should not allocate the limit each time.
        byte[] body = new byte[declaredLength >= 0 ? (int) declaredLength + 1 : Math.min(limit + 1, 2048)];
        int read = 0;
        while (true) {
            if (read == body.length) {
                if (body.length > limit) {
                    throw tooLarge(limit);
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
            throw tooLarge(limit);
        }
        return new ByteArrayInputStream(body, 0, read);
    }

    private static ApiException tooLarge(int limit) {
        return new ApiException(413, "BODY_TOO_LARGE", "request bodies are limited to " + limit + " bytes");
    }
}
