package io.github.namedsem.internal.platform;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Native memory for out-parameters on the hot path, such as the {@code int} that
 * {@code sem_getvalue} writes. One set is kept per handle for the common uncontended case, so
 * a call allocates nothing after the first; a thread that finds it in use makes a fresh one,
 * which the garbage collector frees (allocate it from {@link java.lang.foreign.Arena#ofAuto()}).
 *
 * @param <T> the out-parameters of one call: a segment, or a record of segments
 */
public final class Scratch<T> {
    private final Supplier<T> factory;
    private final AtomicReference<T> spare;

    /**
     * @param factory makes one set of out-parameters
     */
    public Scratch(Supplier<T> factory) {
        this.factory = factory;
        this.spare = new AtomicReference<>(); // made on first use: many handles never wait

    }

    /**
     * Takes a set for one call; give it back with {@link #give}.
     *
     * @return the spare set, or a new one if another thread has it
     */
    public T take() {
        T out = spare.getAndSet(null);
        return out != null ? out : factory.get();
    }

    /**
     * Returns a set from {@link #take()} for the next call.
     *
     * @param out the set, no longer used by the caller
     */
    public void give(T out) {
        spare.set(out);
    }
}
