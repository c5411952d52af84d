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
    // HELD -> CLOSING by the first close(), then RELEASED or NOT_RELEASED by its outcome.
    private static final int HELD = 0, CLOSING = 1, RELEASED = 2, NOT_RELEASED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Permit.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NamedSemaphore semaphore;
    private final int permits;
    private volatile int state;

    Permit(NamedSemaphore semaphore, int permits) {
        this.semaphore = semaphore;
        this.permits = permits;
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
     * How many permits this object holds: 1, or the number given to
     * {@link NamedSemaphore#permit(int)}.
     *
     * @return the count that {@link #close()} releases
     */
    public int permits() {
        return permits;
    }

    /**
     * Whether this permit has been given back to the semaphore.
     *
     * @return {@code true} once {@link #close()} has released it; {@code false} while it is
     *     held, while the release is in progress, and if the release failed (for example
     *     because the handle was closed first)
     */
    public boolean isReleased() {
        return state == RELEASED;
    }

    /**
     * Releases the permit, exactly once: only the first call releases, later ones do nothing
     * (also when the first one failed).
     *
     * @throws SemaphoreClosedException if the handle was closed before the permit; the permit
     *     is then not returned to the semaphore
     * @throws PermitLimitExceededException if the semaphore is already at its maximum, which
     *     means other code released permits it had not acquired
     */
    @Override
    public void close() {
        if (STATE.compareAndSet(this, HELD, CLOSING)) {
            boolean released = false;
            try {
                semaphore.release(permits);
                released = true;
            } finally {
                state = released ? RELEASED : NOT_RELEASED;
            }
        }
    }

    @Override
    public String toString() {
        String what = switch (state) {
            case HELD -> "held";
            case CLOSING -> "releasing";
            case RELEASED -> "released";
            default -> "release failed";
        };
        return "Permit[" + semaphore.name() + (permits == 1 ? ", " : ", " + permits + " permits, ") + what + "]";
    }
}
