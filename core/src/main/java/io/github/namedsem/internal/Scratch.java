package io.github.namedsem.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Native memory for out-parameters on the hot path, such as the {@code int} that
 * {@code sem_getvalue} writes. One segment is kept per handle for the common uncontended case,
 * so a call allocates nothing; a thread that finds it in use gets a fresh one, freed by the
 * garbage collector.
 */
public final class Scratch {
    private final MemoryLayout layout;
    private final AtomicReference<MemorySegment> spare;

    /**
     * @param layout the layout of the out-parameters one call needs
     */
    public Scratch(MemoryLayout layout) {
        this.layout = layout;
        this.spare = new AtomicReference<>(Arena.ofAuto().allocate(layout));
    }

    /**
     * Takes a segment for one call; give it back with {@link #give(MemorySegment)}.
     *
     * @return the spare segment, or a new one if another thread has it
     */
    public MemorySegment take() {
        MemorySegment segment = spare.getAndSet(null);
        return segment != null ? segment : Arena.ofAuto().allocate(layout);
    }

    /**
     * Returns a segment from {@link #take()} for the next call.
     *
     * @param segment the segment, no longer used by the caller
     */
    public void give(MemorySegment segment) {
        spare.set(segment);
    }
}
