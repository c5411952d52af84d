package io.github.namedsem.internal.posix;

import io.github.namedsem.internal.platform.Errno;
import io.github.namedsem.internal.platform.NativeLayouts;
import io.github.namedsem.internal.Backend;
import io.github.namedsem.internal.NativeSemaphore;
import io.github.namedsem.internal.SemaphoreName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * POSIX named semaphores: the standard kind on Linux. The semaphore lives in
 * {@code /dev/shm/sem.NAME} until it is unlinked or the machine reboots.
 *
 * <p>Where {@link GlibcProtocol} allows, namedsem opens and maps that file itself
 * ({@link SemFile}) and runs glibc's algorithm in Java ({@link GlibcSemaphore}); otherwise it
 * calls {@code sem_open} and friends ({@link PosixSemaphore}). Both share the semaphore with
 * every glibc program in the same way.
 */
public final class PosixBackend implements Backend {
    /** The one instance; creating it binds the C library functions. */
    public static final PosixBackend INSTANCE = new PosixBackend();

    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;

    private PosixBackend() {
        // Bind a C function now: a JVM that denies native access then fails here, where
        // Backends turns it into the same UnsupportedOperationException for every call, rather
        // than in a first operation (ExceptionInInitializerError, then NoClassDefFoundError).
        // Where glibc's protocol may run in Java, syscall(), its one function, else sem_open.
        if (Sys.SUPPORTED) {
            Sys.bind();
        } else {
            LibC.bind();
        }
    }

    @Override
    public Opened create(SemaphoreName name, int initialPermits, int maxPermits, int mode, boolean openIfExists) {
        if (GlibcProtocol.ENABLED) {
            SemFile.Opened opened = SemFile.create(name, initialPermits, mode, openIfExists);
            return new Opened(new GlibcSemaphore(name, opened, maxPermits), opened.created());
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cName = arena.allocateFrom(name.posix());
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            // O_EXCL makes "did I create it?" exact. Without it, sem_open would open an
            // existing semaphore silently and the caller could not tell.
            for (;;) {
                MemorySegment sem = LibC.semOpen(capture, cName, O_CREAT | O_EXCL, mode, initialPermits);
                if (!LibC.isSemFailed(sem)) {
                    return new Opened(PosixSemaphore.validated(name, sem, maxPermits), true);
                }
                int errno = NativeLayouts.errno(capture);
                if (errno != Errno.EEXIST || !openIfExists) {
                    throw PosixErrors.failure("sem_open(O_CREAT|O_EXCL)", name, errno);
                }
                sem = LibC.semOpen(capture, cName, 0, 0, 0);
                if (!LibC.isSemFailed(sem)) {
                    return new Opened(PosixSemaphore.validated(name, sem, maxPermits), false);
                }
                errno = NativeLayouts.errno(capture);
                if (errno != Errno.ENOENT) {
                    throw PosixErrors.failure("sem_open", name, errno);
                }
                // Unlinked between our two calls: try to be the creator again.
            }
        }
    }

    @Override
    public NativeSemaphore open(SemaphoreName name) {
        if (GlibcProtocol.ENABLED) {
            return new GlibcSemaphore(name, SemFile.open(name), 0);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            MemorySegment sem = LibC.semOpen(capture, arena.allocateFrom(name.posix()), 0, 0, 0);
            if (LibC.isSemFailed(sem)) {
                throw PosixErrors.failure("sem_open", name, NativeLayouts.errno(capture));
            }
            return PosixSemaphore.validated(name, sem, 0);
        }
    }

    @Override
    public boolean unlink(SemaphoreName name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            if (LibC.semUnlink(capture, arena.allocateFrom(name.posix())) == 0) {
                return true;
            }
            int errno = NativeLayouts.errno(capture);
            if (errno == Errno.ENOENT) {
                return false;
            }
            throw PosixErrors.failure("sem_unlink", name, errno);
        }
    }

    @Override
    public int maxPermitsLimit() {
        return PosixSemaphore.SEM_VALUE_MAX;
    }
}
