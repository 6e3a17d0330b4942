package org.tcpsplice.core.fastpath;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How the switch-host agent knows that a change of the fast path's map comes from its controller: a
 * secret both hold (a file readable by its owner only, as with SSH keys), and on every request an
 * HMAC-SHA256 over the time, a random nonce, the method, the path and the body, in the header
 * {@value #HEADER} as {@code t=MILLIS,n=NONCE,s=HMAC}. The secret never crosses the network. The agent
 * refuses a request more than {@link #WINDOW_MILLIS} away from its clock, and a nonce it has seen
 * within twice that, so a recorded request cannot be played again.
 */
public final class FastPathSignature {
    public static final String HEADER = "X-Tcpsplice-Signature";
    public static final long WINDOW_MILLIS = 30_000;
    /** At least this many characters of secret: 256 bits written in hex, or more. */
    public static final int MIN_SECRET_LENGTH = 32;
    private static final int NONCE_BYTES = 16;

    private final byte[] secret;
    private final SecureRandom random = new SecureRandom();
    /** The nonces accepted within the window, by when they were accepted (oldest first). */
    private final Map<String, Long> seen = new LinkedHashMap<>();

    public FastPathSignature(String secret) {
        if (secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("the fast path's secret has " + secret.length()
                    + " characters; at least " + MIN_SECRET_LENGTH + " are needed");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
    }

    /** The secret in a file (its text, trimmed) that only its owner may read or write. */
    public static FastPathSignature fromFile(Path file) throws IOException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
        for (PosixFilePermission p : perms) {
            if (!p.name().startsWith("OWNER_")) {
                throw new IOException(file + " is accessible to others (" + p + "); chmod 600 it");
            }
        }
        try {
            return new FastPathSignature(new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage());
        }
    }

    /** The header value for a request sent now. */
    public String sign(String method, String path, String body, long nowMillis) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        String n = FastPathBatch.Hex.of(nonce);
        return "t=" + nowMillis + ",n=" + n + ",s=" + mac(nowMillis, n, method, path, body);
    }

    /** Null when the header signs this request and is fresh (its nonce is then used up), else why not. */
    public synchronized String problem(String header, String method, String path, String body, long nowMillis) {
        if (header == null) {
            return "no " + HEADER + " header";
        }
        String[] parts = header.split(",", -1);
        if (parts.length != 3 || !parts[0].startsWith("t=") || !parts[1].startsWith("n=") || !parts[2].startsWith("s=")) {
            return HEADER + " is not t=MILLIS,n=NONCE,s=HMAC";
        }
        long t;
        try {
            t = Long.parseLong(parts[0].substring(2));
        } catch (NumberFormatException e) {
            return HEADER + "'s time is not a number";
        }
        String nonce = parts[1].substring(2);
        byte[] expected = mac(t, nonce, method, path, body).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[2].substring(2).getBytes(StandardCharsets.US_ASCII))) {
            return "the signature does not match (another secret, or a changed request)";
        }
        if (Math.abs(nowMillis - t) > WINDOW_MILLIS) {
            return "signed " + (nowMillis - t) + " ms from this host's clock (more than " + WINDOW_MILLIS + ")";
        }
        for (Iterator<Long> i = seen.values().iterator(); i.hasNext(); ) {
            if (i.next() < nowMillis - 2 * WINDOW_MILLIS) {
                i.remove();
            } else {
                break;
            }
        }
        if (seen.putIfAbsent(nonce, nowMillis) != null) {
            return "a request seen before (its nonce is used up)";
        }
        return null;
    }

    private String mac(long t, String nonce, String method, String path, String body) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            String signed = t + "\n" + nonce + "\n" + method + "\n" + path + "\n" + body;
            return FastPathBatch.Hex.of(hmac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
