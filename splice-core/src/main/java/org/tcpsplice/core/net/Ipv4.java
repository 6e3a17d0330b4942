package org.tcpsplice.core.net;

/** IPv4 addresses as {@code int}s in network order (first octet in the high byte). */
public final class Ipv4 {
    private Ipv4() {
    }

    /** Parses dotted-quad text; throws {@link IllegalArgumentException} with the offending text. */
    public static int parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
        }
        int value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'", e);
            }
            if (part.isEmpty() || part.length() > 3 || octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + text + "'");
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "."
                + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }
}
