package io.github.namedsem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

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
 *
 * <p>A {@link SemaphoreKind#DISTRIBUTED distributed} permit is one slot of the semaphore, held
 * by this process's session with the cluster, and can be lost while held (see
 * {@link #state()}): it also carries a fencing {@link #token()} and its {@link #slot()}. For
 * the local kinds the operating system never takes a permit back, so {@link #state()} is
 * always {@link PermitState#VALID}, and a permit is one unit of a count: {@link #token()} and
 * {@link #slot()} throw {@link UnsupportedOperationException}.
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
    private final ClusterPermit lease; // null for the local kinds
    private volatile int state;

    Permit(NamedSemaphore semaphore, int permits) {
        this.semaphore = semaphore;
        this.permits = permits;
        this.lease = null;
    }

    Permit(NamedSemaphore semaphore, ClusterPermit lease) {
        this.semaphore = semaphore;
        this.permits = 1;
        this.lease = lease;
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
     * Whether the permit is still held, as far as this process knows.
     *
     * @return always {@link PermitState#VALID} for the local kinds; for a distributed permit,
     *     {@link PermitState#SUSPECT} while the connection to the cluster is interrupted and
     *     {@link PermitState#LOST} (for good) once the session ended or the semaphore was
     *     removed. A released permit reports the state it had when released.
     */
    public PermitState state() {
        return lease == null ? PermitState.VALID : lease.state();
    }

    /**
     * Registers an action to run once if this permit is lost, for example to cancel the work
     * it protects. Runs at once, on this thread, if the permit is already lost; otherwise on a
     * thread of the cluster client, so it must be quick and must not block. Never runs for a
     * permit released normally, nor for the local kinds, which cannot lose permits.
     *
     * @param action what to run
     * @throws NullPointerException if {@code action} is null
     */
    public void onLost(Runnable action) {
        Objects.requireNonNull(action, "action");
        if (lease != null) {
            lease.onLost(action);
        }
    }

    /**
     * Throws unless the permit is still held: a check to make before each step of work that
     * must not run without it.
     *
     * @throws PermitLostException if {@link #state()} is {@link PermitState#LOST}
     * @throws IllegalStateException if {@link #close()} has been called
     */
    public void checkValid() {
        if (state != HELD) {
            throw new IllegalStateException("The permit of semaphore " + semaphore.name() + " was released");
        }
        if (state() == PermitState.LOST) {
            throw new PermitLostException("The permit of distributed semaphore " + semaphore.name()
                    + " was lost: its session with the cluster ended or the semaphore was removed, so another holder"
                    + " may have it now; stop the work and acquire a new permit", semaphore.name(),
                    semaphore.osName());
        }
    }

    /**
     * A fencing token: a number that is larger for every permit granted later on the same
     * semaphore. Pass it to the resource the permit protects, and let the resource refuse
     * tokens older than the newest it has seen: that is what protects it from a holder that
     * was paused (or partitioned) past the end of its session and does not know yet.
     *
     * @return the token (ZooKeeper: the creation id of the permit's znode, which only grows)
     * @throws UnsupportedOperationException for the local kinds, whose kernels keep no order
     *     of grants; check {@link NamedSemaphore#kind()} first if a permit may be local
     */
    public long token() {
        return distributed("token()").token();
    }

    /**
     * Which of the semaphore's {@code maxPermits} slots this permit occupies: no two permits
     * held at once have the same slot, so it can pick a device (such as GPU number
     * {@code slot}).
     *
     * @return 0 to {@code maxPermits - 1}
     * @throws UnsupportedOperationException for the local kinds, where a permit is one unit of
     *     a count and has no identity
     */
    public int slot() {
        return distributed("slot()").slot();
    }

    private ClusterPermit distributed(String method) {
        if (lease == null) {
            throw new UnsupportedOperationException("Permit." + method + " exists for DISTRIBUTED semaphores only;"
                    + " semaphore " + semaphore.name() + " is " + semaphore.kind() + ", whose permits are units of a"
                    + " count with no identity or order");
        }
        return lease;
    }

    /**
     * Releases the permit, exactly once: only the first call releases, later ones do nothing
     * (also when the first one failed).
     *
     * @throws SemaphoreClosedException if the handle was closed before the permit; the permit
     *     is then not returned to the semaphore (a distributed one was given back when the
     *     handle closed)
     * @throws PermitLimitExceededException if the semaphore is already at its maximum, which
     *     means other code released permits it had not acquired
     * @throws PermitLostException if a distributed permit was lost before this release: the
     *     work it protected may have overlapped with another holder's
     * @throws SemaphoreUnavailableException if a distributed permit could not be given back
     *     because the cluster cannot be reached; it comes back when the session ends
     */
    @Override
    public void close() {
        if (STATE.compareAndSet(this, HELD, CLOSING)) {
            boolean released = false;
            try {
                if (lease == null) {
                    semaphore.release(permits);
                } else {
                    lease.release();
                }
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
        String slot = lease == null ? "" : ", slot " + lease.slot() + ", token " + lease.token() + ", " + lease.state();
        return "Permit[" + semaphore.name() + slot + (permits == 1 ? ", " : ", " + permits + " permits, ") + what + "]";
    }
}
