package org.tcpsplice.controller.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tcpsplice.core.map.SpliceText;
import org.tcpsplice.core.map.SpliceTables;
import org.tcpsplice.core.net.FourTuple;

/**
 * The controller's durable splice store: an append-only journal, one line per change, forced to disk
 * before a handoff is confirmed to the node. {@code put} records a splice's whole state
 * ({@link SpliceText}); {@code remove} ends it. Replayed and compacted at start.
 *
 * <p>Why a journal and not an embedded database: one writer, tiny records, and a file an operator can read.
 */
public final class SpliceJournal implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpliceJournal.class);

    private final Path file;
    private final Map<FourTuple, String> live = new LinkedHashMap<>();
    private FileChannel out;

    /** Opens the journal, replaying what it holds (see {@link #restoreInto}) and compacting it. */
    public SpliceJournal(Path file) throws IOException {
        this.file = file;
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        if (Files.exists(file)) {
            replay(Files.readString(file, StandardCharsets.UTF_8));
        }
        compact();
        out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private void replay(String text) {
        int lineNo = 0;
        boolean complete = text.endsWith("\n");
        String[] lines = text.split("\n", -1);
        for (String line : lines) {
            lineNo++;
            if (line.isEmpty()) {
                continue;
            }
            if (lineNo == lines.length && !complete) {
                LOG.warn("journal {}: ignoring a torn last line (a crash during a write)", file);
                break;
            }
            String[] fields = line.split("\t");
            try {
                FourTuple client = FourTuple.parse(fields[1]);
                if (fields[0].equals("put")) {
                    live.put(client, line);
                } else if (fields[0].equals("remove")) {
                    live.remove(client);
                } else {
                    throw new IllegalArgumentException("unknown record " + fields[0]);
                }
            } catch (RuntimeException e) {
                LOG.error("journal {} line {} unreadable, skipped: {}", file, lineNo, e.getMessage());
            }
        }
    }

    private void compact() throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        StringBuilder s = new StringBuilder();
        live.values().forEach(line -> s.append(line).append('\n'));
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(ByteBuffer.wrap(s.toString().getBytes(StandardCharsets.UTF_8)));
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Puts every splice the journal holds into the tables; returns their client keys. */
    public List<FourTuple> restoreInto(SpliceTables tables) {
        List<FourTuple> restored = new ArrayList<>();
        for (Map.Entry<FourTuple, String> splice : live.entrySet()) {
            SpliceText.restore(tables, splice.getValue().substring("put\t".length()));
            restored.add(splice.getKey());
        }
        return restored;
    }

    /** Records the splice's current state in the tables; durable after the next {@link #sync}. */
    public synchronized void put(SpliceTables tables, FourTuple clientKey) throws IOException {
        String line = "put\t" + SpliceText.format(tables, clientKey);
        append(line);
        live.put(clientKey, line);
    }

    /** Records the end of a splice; durable after the next {@link #sync}. */
    public synchronized void remove(FourTuple clientKey) throws IOException {
        if (live.remove(clientKey) != null) {
            append("remove\t" + clientKey);
        }
    }

    public synchronized int size() {
        return live.size();
    }

    /** Forces everything recorded so far to disk (one fsync for any number of records: group commit). */
    public void sync() throws IOException {
        out.force(false);
    }

    private void append(String line) throws IOException {
        out.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
