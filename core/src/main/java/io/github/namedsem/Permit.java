package io.github.namedsem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One permit held on a {@link NamedSemaphore}, released by {@link #close()}: the
 * try-with-resources form of {@code acquire()} and {@code release()}.
 * {@snippet :
 * try (var sem = NamedSemaphore.open("jobs");
 *      var permit = sem.permit()) {
 *     runTheJob(); // at most N processes get here at once
 * }                // the permit is released first, then the handle closed
 * }
 *
 * <p>A permit is not tied to a thread: it may be closed by a thread other than the one that
 * acquired it. It is tied to its handle: closing the handle first means the release fails with
 * {@link SemaphoreClosedException} and the permit is lost to the semaphore, so declare the
 * permit after the semaphore in the same {@code try}, as above.
 */
public final class Permit implements AutoCloseable {
    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(Permit.class, "released", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NamedSemaphore semaphore;
    @SuppressWarnings("unused") // accessed through RELEASED
    private volatile boolean released;

    Permit(NamedSemaphore semaphore) {
        this.semaphore = semaphore;
    }

    /**
     * The semaphore this permit was acquired from.
     *
     * @return the handle
     */
    public NamedSemaphore semaphore() {
        return semaphore;
    }

    /**
     * Whether {@link #close()} has been called.
     *
     * @return {@code true} once the release has been attempted
     */
    public boolean isReleased() {
        return released;
    }

    /**
     * Releases the permit, exactly once: only the first call releases, later ones do nothing.
     *
     * @throws SemaphoreClosedException if the handle was closed before the permit; the permit
     *     is then not returned to the semaphore
     * @throws PermitLimitExceededException if the semaphore is already at its maximum, which
     *     means other code released permits it had not acquired
     */
    @Override
    public void close() {
        if (RELEASED.compareAndSet(this, false, true)) {
            semaphore.release();
        }
    }

    @Override
    public String toString() {
        return "Permit[" + semaphore.name() + (released ? ", released]" : ", held]");
    }
}
