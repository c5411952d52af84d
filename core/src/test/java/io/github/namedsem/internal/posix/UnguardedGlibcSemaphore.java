package io.github.namedsem.internal.posix;

import static io.github.namedsem.internal.posix.GlibcWord.DATA;
import static io.github.namedsem.internal.posix.GlibcWord.DATA_OFFSET;

import io.github.namedsem.internal.SemaphoreName;
import io.github.namedsem.internal.platform.NativeLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Deliberately unsafe, for a negative control only: {@link GlibcSemaphore}'s compare-and-set
 * fast paths on a mapping that is <em>not</em> in a shared arena. The segment is the raw
 * mapping address reinterpreted with the global scope, and {@link #close()} unmaps it at once,
 * so an access racing {@code close()} on another thread touches unmapped memory, which is the
 * bug {@link SemMapping}'s shared arena prevents. The close-storm test run on this instead of
 * a {@code NamedSemaphore} must report a crash; that proves the storm test can see one.
 *
 * <p>It makes no futex call: the control runs without waiters, so no post must wake anyone.
 */
public final class UnguardedGlibcSemaphore implements AutoCloseable {
    private final long address;
    private final MemorySegment sem;

    @SuppressWarnings("restricted") // the point: a segment no arena guards
    private UnguardedGlibcSemaphore(long address) {
        this.address = address;
        this.sem = MemorySegment.ofAddress(address).reinterpret(SemMapping.SEM_SIZE); // global scope: never checked
    }

    /** Maps the semaphore file of {@code name}, its own mapping per handle. */
    public static UnguardedGlibcSemaphore open(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            String path = SemFile.pathOf(SemaphoreName.of(name));
            int fd = Sys.open(capture, arena.allocateFrom(path), Sys.O_RDWR | Sys.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new IllegalStateException("open " + path + ": errno " + NativeLayouts.errno(capture));
            }
            try {
                long address = Sys.mmap(capture, SemMapping.SEM_SIZE, fd);
                if (address == -1) {
                    throw new IllegalStateException("mmap " + path + ": errno " + NativeLayouts.errno(capture));
                }
                return new UnguardedGlibcSemaphore(address);
            } finally {
                Sys.close(fd);
            }
        }
    }

    /** __new_sem_wait_fast, as {@link GlibcSemaphore#tryAcquire(int)} does it for one permit. */
    public boolean tryAcquire() {
        long d = (long) DATA.getVolatile(sem, DATA_OFFSET);
        while (GlibcWord.value(d) > 0) {
            long witness = (long) DATA.compareAndExchange(sem, DATA_OFFSET, d, d - 1);
            if (witness == d) {
                return true;
            }
            d = witness;
        }
        return false;
    }

    /** __new_sem_post's compare-and-set of +1; returns the previous count. */
    public int release() {
        long d = (long) DATA.getVolatile(sem, DATA_OFFSET);
        for (;;) {
            long witness = (long) DATA.compareAndExchange(sem, DATA_OFFSET, d, d + 1);
            if (witness == d) {
                return GlibcWord.value(d);
            }
            d = witness;
        }
    }

    public int availablePermits() {
        return GlibcWord.value((long) DATA.getVolatile(sem, DATA_OFFSET));
    }

    /** Unmaps at once, whoever is using the mapping. */
    @Override
    public void close() {
        Sys.munmap(address, SemMapping.SEM_SIZE);
    }
}
