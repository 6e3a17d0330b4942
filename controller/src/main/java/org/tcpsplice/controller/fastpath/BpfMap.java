package org.tcpsplice.controller.fastpath;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import org.tcpsplice.core.fastpath.FastPathMap;

/**
 * A BPF hash map through the bpf() system call (JNA): open a pinned map, update, look up, delete and
 * list elements. Root needed. The XDP fast path's controller side writes its entries with this.
 */
public final class BpfMap implements FastPathMap, AutoCloseable {
    private static final long SYS_BPF = 321; // x86_64
    private static final long BPF_MAP_CREATE = 0;
    private static final long BPF_MAP_LOOKUP_ELEM = 1;
    private static final long BPF_MAP_UPDATE_ELEM = 2;
    private static final long BPF_MAP_DELETE_ELEM = 3;
    private static final long BPF_MAP_GET_NEXT_KEY = 4;
    private static final long BPF_OBJ_GET = 7;
    private static final int BPF_MAP_TYPE_HASH = 1;
    private static final int ATTR_SIZE = 128;

    static {
        // Direct mapping: much cheaper per call than an interface mapping (a handoff writes the map).
        Native.register(BpfMap.class, "c");
    }

    /**
     * libc's syscall(2) with bpf()'s three arguments. syscall is variadic in C; on x86_64 a fixed
     * prototype passes integer and pointer arguments in the same registers, and glibc's syscall reads
     * them from there.
     */
    private static native long syscall(long number, long cmd, Pointer attr, long size);

    private static native int close(int fd);

    private final int fd;
    private final int keySize;
    private final int valueSize;
    /** Native buffers for element calls, allocated once (an allocation per call cost more than the call). */
    private final Memory keyBuffer;
    private final Memory valueBuffer;
    private final Memory elementAttr = new Memory(ATTR_SIZE);

    private BpfMap(int fd, int keySize, int valueSize) {
        this.fd = fd;
        this.keySize = keySize;
        this.valueSize = valueSize;
        this.keyBuffer = new Memory(keySize);
        this.valueBuffer = new Memory(valueSize);
    }

    private static long bpf(long cmd, Memory attr, String what) throws IOException {
        long r = syscall(SYS_BPF, cmd, attr, (long) ATTR_SIZE);
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

    /** The element call's attributes over the shared buffers: the key, and the value unless null. */
    private Memory elementAttr(byte[] key, byte[] value) {
        check(key, keySize, "key");
        keyBuffer.write(0, key, 0, keySize);
        elementAttr.clear();
        elementAttr.setInt(0, fd);
        elementAttr.setLong(8, Pointer.nativeValue(keyBuffer));
        if (value != null) {
            check(value, valueSize, "value");
            valueBuffer.write(0, value, 0, valueSize);
            elementAttr.setLong(16, Pointer.nativeValue(valueBuffer));
        }
        return elementAttr;
    }

    private static void check(byte[] bytes, int size, String what) {
        if (bytes.length != size) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes, the map wants " + size);
        }
    }

    @Override
    public synchronized void update(byte[] key, byte[] value) throws IOException {
        bpf(BPF_MAP_UPDATE_ELEM, elementAttr(key, value), "BPF_MAP_UPDATE_ELEM");
    }

    /** The value under the key, or null. */
    @Override
    public synchronized byte[] lookup(byte[] key) {
        Memory attr = elementAttr(key, null);
        attr.setLong(16, Pointer.nativeValue(valueBuffer));
        long r = syscall(SYS_BPF, BPF_MAP_LOOKUP_ELEM, attr, (long) ATTR_SIZE);
        return r < 0 ? null : valueBuffer.getByteArray(0, valueSize);
    }

    /** Deletes the key; false when it was not there. */
    @Override
    public synchronized boolean delete(byte[] key) {
        return syscall(SYS_BPF, BPF_MAP_DELETE_ELEM, elementAttr(key, null), (long) ATTR_SIZE) == 0;
    }

    /** Every key in the map now (a snapshot taken key by key: concurrent changes may or may not show). */
    @Override
    public java.util.List<byte[]> keys() {
        java.util.List<byte[]> keys = new java.util.ArrayList<>();
        Memory next = new Memory(keySize);
        Memory current = null;
        while (true) {
            Memory attr = attr();
            attr.setInt(0, fd);
            attr.setLong(8, current == null ? 0 : Pointer.nativeValue(current));
            attr.setLong(16, Pointer.nativeValue(next));
            if (syscall(SYS_BPF, BPF_MAP_GET_NEXT_KEY, attr, (long) ATTR_SIZE) < 0) {
                return keys; // ENOENT: past the last key
            }
            byte[] key = next.getByteArray(0, keySize);
            keys.add(key);
            current = new Memory(keySize);
            current.write(0, key, 0, keySize);
        }
    }

    @Override
    public void close() {
        close(fd);
    }
}
