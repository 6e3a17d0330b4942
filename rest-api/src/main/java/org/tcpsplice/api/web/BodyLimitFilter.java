package org.tcpsplice.api.web;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import org.tcpsplice.api.ApiException;

/** Refuses bodies over a limit (413) before they are parsed, whether or not they declare a length. */
@Priority(Priorities.AUTHENTICATION - 100)
public final class BodyLimitFilter implements ContainerRequestFilter {
    /** A handoff body is well under 2 KiB. */
    public static final int DEFAULT_LIMIT = 16 * 1024;

    private final int limit;

    public BodyLimitFilter(int limit) {
        this.limit = limit;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > limit) {
            throw tooLarge();
        }
        request.setEntityStream(new Limited(request.getEntityStream(), limit));
    }

    private ApiException tooLarge() {
        return new ApiException(413, "BODY_TOO_LARGE", "request bodies are limited to " + limit + " bytes");
    }

    private final class Limited extends FilterInputStream {
        private long left;

        Limited(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws IOException {
            left -= n;
            if (left < 0) {
                throw new IOException("body too large", tooLarge());
            }
        }
    }
}
