package org.tcpsplice.core.net;

/** Ethernet MAC addresses as the low 48 bits of a {@code long}, first octet highest. */
public final class MacAddress {
    private MacAddress() {
    }

    public static long parse(String text) {
        String[] parts = text.trim().split(":", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address: '" + text + "'");
        }
        long value = 0;
        for (String part : parts) {
            if (part.length() != 2) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'");
            }
            try {
                value = (value << 8) | Integer.parseInt(part, 16);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a MAC address: '" + text + "'", e);
            }
        }
        return value;
    }

    public static String format(long mac) {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (text.length() > 0) {
                text.append(':');
            }
            text.append(Character.forDigit((int) (mac >>> (shift + 4)) & 0xF, 16));
            text.append(Character.forDigit((int) (mac >>> shift) & 0xF, 16));
        }
        return text.toString();
    }
}
