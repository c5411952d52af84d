package io.github.namedsem.internal.posix;

import io.github.namedsem.SemaphoreClosedException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.internal.SemaphoreName;
import java.util.function.IntSupplier;

/**
 * {@link GlibcSemaphore}'s fast paths over its real {@link SemMapping}, except that
 * {@link #close()} closes the mapping's shared arena at once, as the unmapper thread does once
 * the mapping has lingered. A close storm needs that to race the workers' accesses with the
 * unmap itself: with the linger, a handle reopened within a second finds the old mapping, so a
 * storm of real handles never unmaps under its workers. What the arena turns into
 * {@link IllegalStateException} (an access racing the unmap) is reported as a closed handle,
 * as {@code SemaphoreHandle} reports it.
 */
public final class UnmapAtCloseGlibcSemaphore implements AutoCloseable {
    private final String name;
    private final SemMapping mapping;
    private final GlibcSemaphore sem;

    private UnmapAtCloseGlibcSemaphore(String name, SemFile.Opened opened, GlibcSemaphore sem) {
        this.name = name;
        this.mapping = opened.mapping();
        this.sem = sem;
    }

    public static UnmapAtCloseGlibcSemaphore open(String name) {
        SemaphoreName checked = SemaphoreName.of(name);
        SemFile.Opened opened = SemFile.open(checked);
        return new UnmapAtCloseGlibcSemaphore(name, opened, new GlibcSemaphore(checked, opened, 0));
    }

    public boolean tryAcquire() {
        return closedIfUnmapped(() -> sem.tryAcquire() ? 1 : 0) == 1;
    }

    public int release() {
        return closedIfUnmapped(() -> sem.release(1));
    }

    public int availablePermits() {
        return closedIfUnmapped(sem::availablePermits);
    }

    private int closedIfUnmapped(IntSupplier access) {
        try {
            return access.getAsInt();
        } catch (IllegalStateException unmapped) {
            throw new SemaphoreClosedException("unmapped by close()", name, name, SemaphoreKind.STANDARD, 0, null);
        }
    }

    /** Closes the shared arena now (the last reference), which unmaps the file. */
    @Override
    public void close() {
        mapping.discard();
    }
}
