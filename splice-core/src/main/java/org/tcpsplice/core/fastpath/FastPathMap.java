package org.tcpsplice.core.fastpath;

import java.io.IOException;
import java.util.List;

/**
 * The XDP program's map as whoever writes it sees it: keys of {@link FastPathEncoding#KEY_SIZE} bytes,
 * values of {@link FastPathEncoding#VALUE_SIZE}. A write takes effect when its call returns.
 */
public interface FastPathMap {
    void update(byte[] key, byte[] value) throws IOException;

    /** The value under the key, or null. */
    byte[] lookup(byte[] key);

    /** Deletes the key; false when it was not there. */
    boolean delete(byte[] key);

    /** Every key in the map now. */
    List<byte[]> keys();
}
