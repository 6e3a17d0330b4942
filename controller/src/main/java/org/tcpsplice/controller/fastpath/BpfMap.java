package org.tcpsplice.controller.fastpath;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;

/**
 * A BPF hash map through the bpf() system call (JNA): open a pinned map, update, look up, delete and
 * list elements. Root needed. The XDP fast path's controller side writes its entries with this.
 */
public final class BpfMap implements AutoCloseable {
    private static final long SYS_BPF = 321; // x86_64
    private static final long BPF_MAP_CREATE = 0;
    private static final long BPF_MAP_LOOKUP_ELEM = 1;
    private static final long BPF_MAP_UPDATE_ELEM = 2;
    private static final long BPF_MAP_DELETE_ELEM = 3;
    private static final long BPF_MAP_GET_NEXT_KEY = 4;
    private static final long BPF_OBJ_GET = 7;
    private static final int BPF_MAP_TYPE_HASH = 1;
    private static final int ATTR_SIZE = 128;

    /** libc's syscall(2), variadic. */
    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        long syscall(long number, Object... args);

        int close(int fd);
    }

    private final int fd;
    private final int keySize;
    private final int valueSize;

    private BpfMap(int fd, int keySize, int valueSize) {
        this.fd = fd;
        this.keySize = keySize;
        this.valueSize = valueSize;
    }

    private static long bpf(long cmd, Memory attr, String what) throws IOException {
        long r = LibC.INSTANCE.syscall(SYS_BPF, cmd, attr, (long) ATTR_SIZE);
        if (r < 0) {
            throw new IOException(what + " failed: errno " + Native.getLastError() + " (root needed)");
        }
        return r;
    }

    private static Memory attr() {
        Memory attr = new Memory(ATTR_SIZE);
        attr.clear(); // the kernel rejects non-zero bytes after the fields a command uses
        return attr;
    }

    /** The map pinned at {@code path} (bpftool ... pinmaps DIR). */
    public static BpfMap pinned(String path, int keySize, int valueSize) throws IOException {
        Memory name = new Memory(path.length() + 1L);
        name.setString(0, path);
        Memory attr = attr();
        attr.setLong(0, Pointer.nativeValue(name));
        return new BpfMap((int) bpf(BPF_OBJ_GET, attr, "BPF_OBJ_GET " + path), keySize, valueSize);
    }

    /** A new, unpinned hash map (for tests). */
    public static BpfMap createHash(int keySize, int valueSize, int maxEntries) throws IOException {
        Memory attr = attr();
        attr.setInt(0, BPF_MAP_TYPE_HASH);
        attr.setInt(4, keySize);
        attr.setInt(8, valueSize);
        attr.setInt(12, maxEntries);
        return new BpfMap((int) bpf(BPF_MAP_CREATE, attr, "BPF_MAP_CREATE"), keySize, valueSize);
    }

    private Memory elementAttr(Memory key, Memory value) {
        Memory attr = attr();
        attr.setInt(0, fd);
        attr.setLong(8, Pointer.nativeValue(key));
        attr.setLong(16, value == null ? 0 : Pointer.nativeValue(value));
        return attr;
    }

    private Memory copy(byte[] bytes, int size, String what) {
        if (bytes.length != size) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes, the map wants " + size);
        }
        Memory m = new Memory(size);
        m.write(0, bytes, 0, size);
        return m;
    }

    public void update(byte[] key, byte[] value) throws IOException {
        Memory k = copy(key, keySize, "key");
        Memory v = copy(value, valueSize, "value");
        bpf(BPF_MAP_UPDATE_ELEM, elementAttr(k, v), "BPF_MAP_UPDATE_ELEM");
    }

    /** The value under the key, or null. */
    public byte[] lookup(byte[] key) {
        Memory k = copy(key, keySize, "key");
        Memory v = new Memory(valueSize);
        long r = LibC.INSTANCE.syscall(SYS_BPF, BPF_MAP_LOOKUP_ELEM, elementAttr(k, v), (long) ATTR_SIZE);
        return r < 0 ? null : v.getByteArray(0, valueSize);
    }

    /** Deletes the key; false when it was not there. */
    public boolean delete(byte[] key) {
        Memory k = copy(key, keySize, "key");
        return LibC.INSTANCE.syscall(SYS_BPF, BPF_MAP_DELETE_ELEM, elementAttr(k, null), (long) ATTR_SIZE) == 0;
    }

    /** Every key in the map now (a snapshot taken key by key: concurrent changes may or may not show). */
    public java.util.List<byte[]> keys() {
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        Memory next = new Memory(keySize);
        Memory current = null;
        while (true) {
            Memory attr = attr();
            attr.setInt(0, fd);
            attr.setLong(8, current == null ? 0 : Pointer.nativeValue(current));
            attr.setLong(16, Pointer.nativeValue(next));
            if (LibC.INSTANCE.syscall(SYS_BPF, BPF_MAP_GET_NEXT_KEY, attr, (long) ATTR_SIZE) < 0) {
                return keys; // ENOENT: past the last key
            }
            byte[] key = next.getByteArray(0, keySize);
            keys.add(key);
            current = copy(key, keySize, "key");
        }
    }

    @Override
    public void close() {
        LibC.INSTANCE.close(fd);
    }
}
