package io.github.namedsem.internal.posix;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.namedsem.internal.platform.NativeLayouts;
import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.SemaphoreCorruptedException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.internal.platform.Errno;
import io.github.namedsem.internal.SemaphoreName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Opens and creates {@code /dev/shm/sem.NAME} the way glibc's {@code sem_open} does, so that
 * every glibc program shares the semaphore exactly as before, but validating what it finds
 * first: {@code /dev/shm} is writable by every user, so the file is untrusted input.
 *
 * <ul>
 *   <li>Opening: {@code open(O_RDWR | O_NOFOLLOW)}, then {@code fstat}: anything but a regular
 *       file of at least {@code sizeof(sem_t)} bytes is refused before it is mapped.</li>
 *   <li>Creating (glibc's {@code sem_open} with {@code O_CREAT}): an initialised {@code sem_t}
 *       is written to a fresh temporary file, which is then {@code link()}ed to the name. The
 *       name therefore never shows a half-written semaphore, and {@code link} fails with
 *       {@code EEXIST} if the name exists: exclusive creation.</li>
 * </ul>
 */
final class SemFile {
    private SemFile() {}

    private static final String SHM = "/dev/shm/";
    private static final int OPEN_FLAGS = Sys.O_RDWR | Sys.O_NOFOLLOW | Sys.O_NONBLOCK | Sys.O_CLOEXEC;
    private static final String TEMP_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /** The path of a semaphore's file: {@code /dev/shm/sem.} and the name without its slash. */
    static String pathOf(SemaphoreName name) {
        return SHM + "sem." + name.posix().substring(1);
    }

    /**
     * A mapping, whether this call created the file, and the file's owner as this call found
     * it (the mapping may be older, and the owner changed since).
     */
    record Opened(SemMapping mapping, boolean created, int ownerUid) {}

    /**
     * Maps an existing semaphore file.
     *
     * @throws io.github.namedsem.NoSuchSemaphoreException if there is none
     * @throws SemaphoreCorruptedException if the name holds something that is no semaphore
     */
    static Opened open(SemaphoreName name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            String path = pathOf(name);
            int fd = Sys.open(capture, arena.allocateFrom(path), OPEN_FLAGS, 0);
            if (fd < 0) {
                throw PosixErrors.failure("open " + path, name, NativeLayouts.errno(capture)); // ELOOP: O_NOFOLLOW met a symlink
            }
            try {
                return mapValidated(name, path, fd, arena, capture, false);
            } finally {
                Sys.close(fd);
            }
        }
    }

    /**
     * Creates a semaphore file with glibc's protocol, or with {@code openIfExists} maps the
     * existing one of that name.
     *
     * @throws io.github.namedsem.SemaphoreExistsException if it exists and not {@code openIfExists}
     */
    static Opened create(SemaphoreName name, int initialPermits, int mode, boolean openIfExists) {
        for (;;) {
            Opened created = tryCreate(name, initialPermits, mode, openIfExists);
            if (created != null) {
                return created;
            }
            try {
                return open(name);
            } catch (io.github.namedsem.NoSuchSemaphoreException unlinkedMeanwhile) {
                // Removed between our link() and open(): try to be the creator again.
            }
        }
    }

    /** The mapping of a newly created file, or null if the name exists (and may be opened). */
    private static Opened tryCreate(SemaphoreName name, int initialPermits, int mode, boolean openIfExists) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            String path = pathOf(name);
            MemorySegment cPath = arena.allocateFrom(path);
            MemorySegment tempPath = null;
            int fd = -1;
            for (int attempt = 0; fd < 0; attempt++) { // like mkstemp: a fresh name until one is free
                tempPath = arena.allocateFrom(SHM + "sem." + randomSuffix());
                fd = Sys.open(capture, tempPath, Sys.O_RDWR | Sys.O_CREAT | Sys.O_EXCL | Sys.O_NOFOLLOW | Sys.O_CLOEXEC, mode);
                if (fd < 0 && (NativeLayouts.errno(capture) != Errno.EEXIST || attempt > 100)) {
                    throw PosixErrors.failure("open " + SHM + "sem.XXXXXX (O_CREAT|O_EXCL)", name, NativeLayouts.errno(capture));
                }
            }
            Opened mapping = null;
            try {
                // glibc's __new_sem_open_init: value = initial count, no waiters, private =
                // FUTEX_SHARED (128), written before the file gets its name.
                MemorySegment init = arena.allocate(SemMapping.SEM_SIZE, 8);
                init.set(JAVA_LONG, GlibcWord.DATA_OFFSET, initialPermits & GlibcWord.VALUE_MASK);
                init.set(JAVA_INT, GlibcWord.PRIVATE_OFFSET, GlibcWord.FUTEX_SHARED);
                long written = Sys.write(capture, fd, init);
                if (written != SemMapping.SEM_SIZE) {
                    throw PosixErrors.failure("write " + SHM + "sem.XXXXXX", name,
                            written < 0 ? NativeLayouts.errno(capture) : Errno.ENOSPC);
                }
                mapping = mapValidated(name, path, fd, arena, capture, true);
                if (Sys.link(capture, tempPath, cPath) == 0) {
                    Opened created = mapping;
                    mapping = null;
                    return created;
                }
                int errno = NativeLayouts.errno(capture);
                if (errno == Errno.EEXIST && openIfExists) {
                    return null;
                }
                throw PosixErrors.failure("link to " + path, name, errno);
            } finally {
                if (mapping != null) {
                    mapping.mapping().discard(); // touched by no handle
                }
                Sys.unlink(capture, tempPath); // the name, or nothing, keeps the file alive
                Sys.close(fd);
            }
        }
    }

    private static String randomSuffix() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] chars = new char[6];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = TEMP_CHARS.charAt(random.nextInt(TEMP_CHARS.length()));
        }
        return new String(chars);
    }

    /** fstat, refuse what is no semaphore file, and map it (or share this process's mapping). */
    private static Opened mapValidated(SemaphoreName name, String path, int fd, Arena arena, MemorySegment capture,
                                       boolean creating) {
        MemorySegment stat = arena.allocate(Sys.STAT_SIZE, 8);
        if (Sys.fstat(capture, fd, stat) != 0) {
            throw PosixErrors.failure("fstat " + path, name, NativeLayouts.errno(capture));
        }
        int mode = stat.get(JAVA_INT, Sys.ST_MODE);
        int uid = stat.get(JAVA_INT, Sys.ST_UID);
        long size = stat.get(JAVA_LONG, Sys.ST_SIZE);
        String what = "owned by uid " + Integer.toUnsignedString(uid) + ", mode 0" + Integer.toOctalString(mode & 07777);
        if ((mode & Sys.S_IFMT) != Sys.S_IFREG) {
            throw corrupted(name, path + " is not a regular file (file type 0" + Integer.toOctalString(mode & Sys.S_IFMT)
                    + ", " + what + ")", 0);
        }
        if (size < SemMapping.SEM_SIZE) {
            throw corrupted(name, path + " is " + size + " bytes long, shorter than a semaphore (" + SemMapping.SEM_SIZE
                    + " bytes), " + what, 0);
        }
        SemMapping mapping = SemMapping.acquire(stat.get(JAVA_LONG, Sys.ST_DEV), stat.get(JAVA_LONG, Sys.ST_INO),
                () -> {
                    long address = Sys.mmap(capture, SemMapping.SEM_SIZE, fd);
                    if (address == -1L) {
                        throw PosixErrors.failure("mmap " + path, name, NativeLayouts.errno(capture));
                    }
                    return address;
                });
        try {
            GlibcWord.check(name, mapping.sem); // a planted file may hold any bytes
            return new Opened(mapping, creating, uid);
        } catch (RuntimeException | InternalError e) {
            mapping.discard();
            throw e instanceof InternalError fault ? faulted(name, fault) : (RuntimeException) e;
        }
    }

    static SemaphoreCorruptedException corrupted(SemaphoreName name, String what, int errno) {
        String p = name.portable();
        return new SemaphoreCorruptedException("Semaphore " + name.posix() + " cannot be used: " + what
                + ". Another program may have planted or damaged it. Check who (ls -l " + pathOf(name)
                + "), then remove it with NamedSemaphore.unlink(\"" + p + "\") or namedsem unlink " + p
                + " and create it again.", p, name.posix(), SemaphoreKind.STANDARD, errno,
                errno == 0 ? null : Errno.symbol(errno));
    }

    /** A memory access to the mapping faulted: the file was shrunk after it was mapped. */
    static NamedSemaphoreException faulted(SemaphoreName name, InternalError fault) {
        SemaphoreCorruptedException e = corrupted(name, "reading its memory faulted, so " + pathOf(name)
                + " was truncated after this handle opened it (close this handle)", 0);
        e.initCause(fault);
        return e;
    }
}
