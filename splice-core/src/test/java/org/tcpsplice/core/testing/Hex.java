package org.tcpsplice.core.testing;

/** Hex text for frames in test vectors and failure messages. */
public final class Hex {
    private Hex() {
    }

    public static String of(byte[] b) {
        StringBuilder s = new StringBuilder(b.length * 2);
        for (byte x : b) {
            s.append(Character.forDigit((x >>> 4) & 0xF, 16)).append(Character.forDigit(x & 0xF, 16));
        }
        return s.toString();
    }

    public static byte[] parse(String hex) {
        if (hex.length() % 2 != 0) {
            throw new IllegalArgumentException("odd number of hex digits");
        }
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                throw new IllegalArgumentException("not hex at " + (2 * i) + ": " + hex.substring(2 * i, 2 * i + 2));
            }
            b[i] = (byte) ((hi << 4) | lo);
        }
        return b;
    }
}
