package io.github.namedsem.internal.sysv;

import io.github.namedsem.internal.SemaphoreName;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The documented mapping from a portable name to a System V key, which any language can
 * reproduce: the 32-bit FNV-1a hash of the name's UTF-8 bytes (without the leading slash),
 * as a signed {@code key_t}; 0 ({@code IPC_PRIVATE}) becomes 1.
 *
 * <p>Two names may hash to one key. So that they never share a set silently, the set carries
 * its own identity, the low 30 bits of the 64-bit FNV-1a hash of the name's UTF-8 bytes
 * ({@link #identityOf}), in its semaphores 3 and 4, checked before every use and removal; and
 * the name that owns a key is recorded in the marker file {@code /dev/shm/namedsem-sysv-KKKKKKKK}
 * (the key in 8 lower-case hex digits; see {@link Markers}). Whoever creates the set claims the
 * marker first; whoever opens checks both.
 */
public final class SysvKeys {
    private static final int FNV_OFFSET = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;
    private static final long FNV64_OFFSET = 0xCBF29CE484222325L;
    private static final long FNV64_PRIME = 0x100000001B3L;
    static final Path MARKER_DIR = Path.of("/dev/shm");

    private SysvKeys() {}

    /**
     * The key of a name.
     *
     * @param name the checked name
     * @return its System V key, never 0
     */
    public static int keyOf(SemaphoreName name) {
        int hash = FNV_OFFSET;
        for (byte b : name.utf8()) {
            hash ^= b & 0xFF;
            hash *= FNV_PRIME;
        }
        return hash == 0 ? 1 : hash;
    }

    /**
     * How the crash-safe semaphore appears to the OS, for messages and {@code osName()}.
     *
     * @param name the checked name
     * @return {@code sysv:0x} and the key in eight hex digits
     */
    public static String osName(SemaphoreName name) {
        return String.format("sysv:0x%08x", keyOf(name));
    }

    /**
     * The identity a name's set carries: the low 30 bits of the 64-bit FNV-1a hash of the name's
     * UTF-8 bytes. Semaphore 3 holds bits 0 to 14, semaphore 4 bits 15 to 29 (each fits in a
     * System V semaphore, whose largest value is 32767).
     *
     * @param name the checked name
     * @return a value from 0 to 2<sup>30</sup>-1
     */
    public static int identityOf(SemaphoreName name) {
        long hash = FNV64_OFFSET;
        for (byte b : name.utf8()) {
            hash ^= b & 0xFF;
            hash *= FNV64_PRIME;
        }
        return (int) (hash & 0x3FFF_FFFF);
    }

    /**
     * The name a marker file records, read as untrusted input: without following a symbolic
     * link, without waiting on a FIFO, at most 512 bytes of a regular file.
     *
     * @param marker a {@code /dev/shm/namedsem-sysv-*} file
     * @return the portable name it records
     * @throws IOException if it is absent or not a valid marker; the message says why (a
     *     symbolic link, a FIFO, too large, not UTF-8, not a name) and who owns it
     */
    public static String markerName(Path marker) throws IOException {
        return Markers.nameIn(marker);
    }

    /**
     * The marker file recording which name owns a key.
     *
     * @param key a key from {@link #keyOf}
     * @return {@code /dev/shm/namedsem-sysv-KKKKKKKK}
     */
    public static Path marker(int key) {
        return MARKER_DIR.resolve(String.format("namedsem-sysv-%08x", key));
    }
}
