package io.github.namedsem.internal.sysv;

import io.github.namedsem.internal.SemaphoreName;
import java.nio.file.Path;

/**
 * The documented mapping from a portable name to a System V key, which any language can
 * reproduce: the 32-bit FNV-1a hash of the name's UTF-8 bytes (without the leading slash),
 * as a signed {@code key_t}; 0 ({@code IPC_PRIVATE}) becomes 1.
 *
 * <p>Two names may hash to one key. So that they never share a set silently, the name that
 * owns a key is recorded in the marker file {@code /dev/shm/namedsem-sysv-KKKKKKKK} (the key in
 * 8 lower-case hex digits), containing the name's UTF-8 bytes. Whoever creates the set claims
 * the marker first; whoever opens checks it.
 */
public final class SysvKeys {
    private static final int FNV_OFFSET = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;
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
     * The marker file recording which name owns a key.
     *
     * @param key a key from {@link #keyOf}
     * @return {@code /dev/shm/namedsem-sysv-KKKKKKKK}
     */
    public static Path marker(int key) {
        return MARKER_DIR.resolve(String.format("namedsem-sysv-%08x", key));
    }
}
