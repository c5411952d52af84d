package io.github.namedsem.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes closing a handle safe while other threads are using it: the native handle is released
 * only after the last call that entered has left, and no call enters once closing has begun.
 *
 * <p>This is what keeps the JVM alive when {@code close()} races with {@code acquire()} on
 * another thread: a native call on an unmapped {@code sem_t} or a closed {@code HANDLE} would
 * crash the process or, worse, act on a handle value since reused for something else.
 *
 * <p>The state is one int: the sign bit says "closing", the rest counts the owner's own
 * reference plus every call in flight. The owner's reference is dropped by {@link #close()};
 * whoever brings the count to zero runs the release action, so it runs exactly once. Entering
 * is a compare-and-set that never succeeds after the sign bit is set, which is what makes
 * "zero" final. The uncontended cost is one CAS to enter and one atomic add to leave: no
 * allocation, no system call.
 */
public final class HandleGuard {
    private static final int CLOSING = 0x8000_0000;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(HandleGuard.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Runnable release;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = 1;
    private volatile boolean released;
    private volatile RuntimeException releaseFailure;
    private volatile Thread closer;

    /**
     * @param release frees the native resource; runs exactly once, with no call in flight
     */
    public HandleGuard(Runnable release) {
        this.release = release;
    }

    /**
     * Registers a call that is about to use the native handle. Every {@code true} must be
     * followed by exactly one {@link #exit()}, in a {@code finally}.
     *
     * @return {@code false} if the handle is closing or closed; then the call must not run
     */
    public boolean enter() {
        for (;;) {
            int s = (int) STATE.getVolatile(this);
            if (s < 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s + 1)) {
                return true;
            }
        }
    }

    /** Ends a call registered by {@link #enter()}. */
    public void exit() {
        if ((int) STATE.getAndAdd(this, -1) == (CLOSING | 1)) {
            releaseNow();
        }
    }

    /**
     * Stops new calls from entering.
     *
     * @return {@code true} for the one caller that began closing; {@code false} if closing had
     *     already begun
     */
    public boolean beginClose() {
        for (;;) {
            int s = (int) STATE.getVolatile(this);
            if (s < 0) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s | CLOSING)) {
                return true;
            }
        }
    }

    /**
     * Drops the owner's reference and waits until the release action has run, that is until
     * every call that entered before {@link #beginClose()} has left. Only the caller for which
     * {@code beginClose()} returned {@code true} may call this, once. An interrupt does not cut
     * the wait short (the native handle must not outlive a completed close); it is kept for the
     * caller to see.
     *
     * @throws RuntimeException what the release action threw, in whichever thread it ran
     */
    public void finishClose() {
        closer = Thread.currentThread();
        exit();
        boolean interrupted = false;
        while (!released) {
            LockSupport.park(this);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (releaseFailure != null) {
            throw releaseFailure;
        }
    }

    /**
     * Whether closing has begun.
     *
     * @return {@code true} once {@link #beginClose()} has succeeded
     */
    public boolean isClosing() {
        return (int) STATE.getVolatile(this) < 0;
    }

    private void releaseNow() {
        try {
            release.run();
        } catch (RuntimeException e) {
            // The last call out may be any thread; the failure belongs to the one closing.
            releaseFailure = e;
        } finally {
            released = true;
            Thread waiting = closer;
            if (waiting != null) {
                LockSupport.unpark(waiting);
            }
        }
    }
}
