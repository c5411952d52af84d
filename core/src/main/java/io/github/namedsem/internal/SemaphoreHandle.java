package io.github.namedsem.internal;

import io.github.namedsem.SemaphoreClosedException;
import io.github.namedsem.SemaphoreKind;
import java.util.OptionalInt;

/**
 * Everything behind one {@link io.github.namedsem.NamedSemaphore} handle: the native semaphore,
 * the guard that makes {@code close()} safe against calls in flight, and the two ways of
 * waiting. The public class keeps only what is public and delegates every operation here, as
 * {@code java.util.concurrent.Semaphore} does to its {@code Sync}.
 *
 * <p>Invariant: every call that touches the native semaphore runs between a successful
 * {@link HandleGuard#enter()} and its {@link HandleGuard#exit()}, so the native semaphore is
 * closed exactly once, after the last such call has left. The exception are the fast paths of
 * a semaphore that {@linkplain NativeSemaphore#guardsItself() guards itself}, whose memory
 * access is safe against close by construction. This object is also the action the
 * {@link java.lang.ref.Cleaner} runs for an unreachable handle ({@link #run()}); it holds
 * nothing that leads back to the public object, or that object could never become unreachable.
 */
public final class SemaphoreHandle implements Runnable {
    private final SemaphoreName name;
    private final SemaphoreKind kind;
    private final NativeSemaphore semaphore;
    private final HandleGuard guard;
    private final WaitStrategy platformThreads;
    private final WaitStrategy virtualThreads;
    // The semaphore's memory is in a shared arena: see guardsItself() and the fast paths below.
    private final boolean guardsItself;

    /**
     * Takes ownership of an open native semaphore.
     *
     * @param name the checked name
     * @param kind the kind, for exceptions
     * @param semaphore the native semaphore; closed by this handle
     */
    public SemaphoreHandle(SemaphoreName name, SemaphoreKind kind, NativeSemaphore semaphore) {
        this.name = name;
        this.kind = kind;
        this.semaphore = semaphore;
        this.guard = new HandleGuard(semaphore::close);
        this.platformThreads = new DirectWait(semaphore, guard, this::closedException);
        this.virtualThreads = new PermitPump(semaphore, guard, this::closedException,
                "namedsem-waiter " + semaphore.osName());
        this.guardsItself = semaphore.guardsItself();
    }

    /**
     * Takes {@code permits} permits at once if that many are free now.
     *
     * @param permits how many, at least 1
     * @return {@code true} if they were taken
     * @throws SemaphoreClosedException if the handle is closed
     * @throws UnsupportedOperationException if {@code permits > 1} and the kind cannot take
     *     several atomically
     */
    public boolean tryAcquire(int permits) {
        if (guardsItself) {
            // No guard: an access racing close() throws IllegalStateException instead of
            // touching unmapped memory (see NativeSemaphore.guardsItself()).
            if (guard.isClosing()) {
                throw closedException();
            }
            try {
                return permits == 1 ? semaphore.tryAcquire() : semaphore.tryAcquire(checkSeveral(permits));
            } catch (IllegalStateException closedMeanwhile) {
                throw closedException();
            } catch (InternalError fault) {
                throw semaphore.faulted(fault);
            }
        }
        if (!guard.enter()) {
            throw closedException();
        }
        try {
            return permits == 1 ? semaphore.tryAcquire() : semaphore.tryAcquire(checkSeveral(permits));
        } finally {
            guard.exit();
        }
    }

    /**
     * Takes {@code permits} permits at once, waiting if they are not free: platform threads in
     * the native wait, virtual threads in the pump's queue. The caller has already tried
     * {@link #tryAcquire(int)}.
     *
     * @param permits how many, at least 1
     * @param timed whether {@code nanos} limits the wait
     * @param nanos how long to wait, when {@code timed}
     * @param interruptible whether an interrupt ends the wait
     * @return {@code true} holding them, {@code false} holding none if the time ran out
     * @throws InterruptedException see {@link WaitStrategy#await}
     */
    public boolean await(int permits, boolean timed, long nanos, boolean interruptible) throws InterruptedException {
        if (timed && nanos <= 0) {
            return false;
        }
        if (semaphore instanceof ClusterHandle cluster) { // the cluster's own queue; it ends waits on close
            return cluster.await(timed, nanos, interruptible);
        }
        // Platform threads take their permits themselves, one leader per handle in the native
        // wait, so a wait that ends never leaves a permit in flight. (Queueing them behind the
        // pump instead let the pump hold a permit for a waiter that had just timed out, and a
        // tryAcquire() right after a release failed: the contract's model test caught it.)
        WaitStrategy strategy = Thread.currentThread().isVirtual() ? virtualThreads : platformThreads;
        return strategy.await(permits, timed, nanos, interruptible);
    }

    private int checkSeveral(int permits) {
        if (!semaphore.takesSeveralAtomically()) {
            throw new UnsupportedOperationException("Cannot take " + permits + " permits of semaphore "
                    + semaphore.osName() + " at once: the " + kind + " kind on this platform takes one permit per"
                    + " operation, and taking them one by one could hold some while waiting for the rest, which"
                    + " deadlocks two such callers. The CRASH_SAFE kind takes several in one atomic operation, and so"
                    + " does STANDARD on glibc Linux where namedsem runs glibc's protocol itself; see the table in"
                    + " SemaphoreKind.");
        }
        return permits;
    }

    /**
     * The cluster's handle, for a {@link SemaphoreKind#DISTRIBUTED distributed} semaphore, whose
     * permits are slots that {@link io.github.namedsem.Permit} objects own.
     *
     * @return the cluster handle, or {@code null} for the local kinds
     */
    public ClusterHandle cluster() {
        return semaphore instanceof ClusterHandle cluster ? cluster : null;
    }

    /**
     * Adds permits.
     *
     * @param permits how many, at least 1
     * @return the count before, as {@link NativeSemaphore#release(int)} reports it
     * @throws SemaphoreClosedException if the handle is closed
     */
    public int release(int permits) {
        if (guardsItself) {
            if (guard.isClosing()) {
                throw closedException();
            }
            try {
                int before = semaphore.releaseWithoutWaking(permits);
                if (before != NativeSemaphore.MUST_WAKE) {
                    return before;
                }
            } catch (IllegalStateException closedMeanwhile) {
                throw closedException();
            } catch (InternalError fault) {
                throw semaphore.faulted(fault);
            }
            // Waiters are registered: the count change and its wake-up go under the guard, so
            // that a close cannot fall between them and lose the wake-up.
        }
        if (!guard.enter()) {
            throw closedException();
        }
        try {
            return semaphore.release(permits);
        } finally {
            guard.exit();
        }
    }

    /**
     * The free permits now.
     *
     * @return the count
     * @throws SemaphoreClosedException if the handle is closed
     */
    public int availablePermits() {
        if (guardsItself) {
            if (guard.isClosing()) {
                throw closedException();
            }
            try {
                return semaphore.availablePermits();
            } catch (IllegalStateException closedMeanwhile) {
                throw closedException();
            } catch (InternalError fault) {
                throw semaphore.faulted(fault);
            }
        }
        if (!guard.enter()) {
            throw closedException();
        }
        try {
            return semaphore.availablePermits();
        } finally {
            guard.exit();
        }
    }

    /**
     * The maximum this handle knows of; readable after close.
     *
     * @return the maximum, or empty
     */
    public OptionalInt maxPermits() {
        return semaphore.maxPermits();
    }

    /**
     * The owner's uid as found at open; readable after close.
     *
     * @return the uid, or empty where the kind records none
     */
    public OptionalInt ownerUid() {
        return semaphore.ownerUid();
    }

    /**
     * Whether this process's effective user owns the semaphore.
     *
     * @return {@code false} where unknown
     */
    public boolean ownedByCaller() {
        return semaphore.ownedByCaller();
    }

    /**
     * The name as the OS knows it; readable after close.
     *
     * @return such as {@code /jobs}
     */
    public String osName() {
        return semaphore.osName();
    }

    /**
     * Runs {@code action} on the native semaphore, guarded like every other call: for what the
     * handle itself does not do, such as reporting and repairing holders.
     *
     * @param action what to do with the native semaphore
     * @param <T> its result
     * @return the action's result
     * @throws SemaphoreClosedException if the handle is closed
     */
    public <T> T inspect(java.util.function.Function<NativeSemaphore, T> action) {
        if (!guard.enter()) {
            throw closedException();
        }
        try {
            return action.apply(semaphore);
        } finally {
            guard.exit();
        }
    }

    /**
     * Whether closing has begun.
     *
     * @return {@code true} once {@link #run()} has started
     */
    public boolean isClosed() {
        return guard.isClosing();
    }

    /**
     * Closes the handle, once: fails the waits in progress, then releases the native
     * semaphore when the last call in flight has left. Later calls do nothing. This is the
     * Cleaner's action, and what {@code close()} runs through the Cleaner.
     */
    @Override
    public void run() {
        if (guard.beginClose()) {
            virtualThreads.close();
            platformThreads.close();
            guard.finishClose();
        }
    }

    /**
     * The exception for a call on, or a wait ended by, a closed handle.
     *
     * @return a new exception naming the semaphore and how to go on
     */
    public SemaphoreClosedException closedException() {
        return new SemaphoreClosedException("This handle to semaphore " + semaphore.osName()
                + " is closed; open a new one with NamedSemaphore.open(\"" + name.portable() + "\")",
                name.portable(), semaphore.osName(), kind, 0, null);
    }
}
