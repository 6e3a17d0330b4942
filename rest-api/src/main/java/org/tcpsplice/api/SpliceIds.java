package org.tcpsplice.api;

import org.tcpsplice.core.net.FourTuple;

/** A splice's id in URLs: its client key as {@code client-ip:port-service-ip:port}. */
public final class SpliceIds {
    private SpliceIds() {
    }

    public static String of(FourTuple clientKey) {
        return clientKey.toString().replace("->", "-");
    }

    /** Parses an id; throws {@link ApiException} 400 for anything else. */
    public static FourTuple parse(String id) {
        int dash = id.indexOf('-');
        if (dash < 0) {
            throw new ApiException(400, "MALFORMED", "a splice id looks like 10.0.0.1:40000-10.0.0.100:80, not '" + id + "'");
        }
        try {
            return FourTuple.parse(id.substring(0, dash) + "->" + id.substring(dash + 1));
        } catch (IllegalArgumentException e) {
            throw new ApiException(400, "MALFORMED", "bad splice id '" + id + "': " + e.getMessage());
        }
    }
}
