package org.tcpsplice.core.fastpath;

import java.util.ArrayList;
import java.util.List;

/**
 * "Did the program translate by any of these keys within the last N seconds?", as a remote controller
 * asks the switch-host agent before it ends a splice as idle (the packets the program translates never
 * reach the controller). Text form: "within N", then a key per line, in hex.
 */
public final class SeenQuery {
    public final int withinSeconds;
    public final List<byte[]> keys;

    public SeenQuery(int withinSeconds, List<byte[]> keys) {
        if (withinSeconds <= 0) {
            throw new IllegalArgumentException("within " + withinSeconds + " seconds: must be positive");
        }
        this.withinSeconds = withinSeconds;
        this.keys = List.copyOf(keys);
        this.keys.forEach(FastPathEncoding::checkedKey);
    }

    public String format() {
        StringBuilder s = new StringBuilder("within ").append(withinSeconds).append('\n');
        keys.forEach(k -> s.append(FastPathBatch.Hex.of(k)).append('\n'));
        return s.toString();
    }

    public static SeenQuery parse(String text) {
        String[] lines = text.split("\n");
        if (!lines[0].startsWith("within ")) {
            throw new IllegalArgumentException("the first line is not 'within SECONDS'");
        }
        int within;
        try {
            within = Integer.parseInt(lines[0].substring("within ".length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + lines[0] + "': not a number of seconds");
        }
        List<byte[]> keys = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            keys.add(FastPathBatch.Hex.parse(lines[i]));
        }
        return new SeenQuery(within, keys);
    }
}
