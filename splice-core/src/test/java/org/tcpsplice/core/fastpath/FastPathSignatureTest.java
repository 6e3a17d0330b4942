package org.tcpsplice.core.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The switch-host agent's check of who writes its map: signature, freshness, no replay, the secret's file. */
class FastPathSignatureTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";
    private final FastPathSignature controller = new FastPathSignature(SECRET);
    private final FastPathSignature agent = new FastPathSignature(SECRET);
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void aSignedRequestIsAcceptedOnce() {
        String h = controller.sign("POST", "/fastpath/v1/batch", "replace\n", NOW);
        assertNull(agent.problem(h, "POST", "/fastpath/v1/batch", "replace\n", NOW + 5));
        assertTrue(agent.problem(h, "POST", "/fastpath/v1/batch", "replace\n", NOW + 6).contains("seen before"));
    }

    @Test
    void aChangedRequestOrAnotherSecretIsRefused() {
        String h = controller.sign("POST", "/fastpath/v1/batch", "replace\n", NOW);
        assertTrue(agent.problem(h, "POST", "/fastpath/v1/batch", "", NOW).contains("does not match"), "body");
        assertTrue(agent.problem(h, "POST", "/fastpath/v1/seen", "replace\n", NOW).contains("does not match"), "path");
        String other = new FastPathSignature(SECRET.replace('0', 'x')).sign("POST", "/p", "b", NOW);
        assertTrue(agent.problem(other, "POST", "/p", "b", NOW).contains("does not match"));
        assertTrue(agent.problem(null, "POST", "/p", "b", NOW).contains("no " + FastPathSignature.HEADER));
        assertTrue(agent.problem("Bearer x", "POST", "/p", "b", NOW).contains("is not"));
    }

    @Test
    void anOldOrFutureRequestIsRefused() {
        String old = controller.sign("POST", "/p", "b", NOW - FastPathSignature.WINDOW_MILLIS - 1);
        assertTrue(agent.problem(old, "POST", "/p", "b", NOW).contains("from this host's clock"));
        String ahead = controller.sign("POST", "/p", "b", NOW + FastPathSignature.WINDOW_MILLIS + 1);
        assertTrue(agent.problem(ahead, "POST", "/p", "b", NOW).contains("from this host's clock"));
    }

    @Test
    void theSecretMustBeLongAndPrivate(@TempDir Path dir) throws IOException {
        assertThrows(IllegalArgumentException.class, () -> new FastPathSignature("short"));
        Path file = dir.resolve("secret");
        Files.writeString(file, SECRET + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IOException e = assertThrows(IOException.class, () -> FastPathSignature.fromFile(file));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        String h = FastPathSignature.fromFile(file).sign("GET", "/p", "", NOW);
        assertEquals(null, agent.problem(h, "GET", "/p", "", NOW), "the file's text, trimmed, is the secret");
    }
}
