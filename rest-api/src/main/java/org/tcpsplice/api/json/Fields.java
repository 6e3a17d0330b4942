package org.tcpsplice.api.json;

import org.tcpsplice.core.net.FourTuple;

/** Field checks for request bodies: each failure names the field. */
final class Fields {
    private Fields() {
    }

    static <T> T required(T value, String name) {
        if (value == null) {
            throw new BadRequestField(name + " is required");
        }
        return value;
    }

    /** An unsigned 32-bit number, carried in an int. */
    static int u32(Long value, String name) {
        long v = required(value, name);
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new BadRequestField(name + " must be 0..4294967295, got " + v);
        }
        return (int) v;
    }

    static FourTuple tuple(String local, String remote, String where) {
        try {
            return FourTuple.parse(local + "->" + remote);
        } catch (IllegalArgumentException e) {
            throw new BadRequestField(where + ": " + e.getMessage());
        }
    }
}
