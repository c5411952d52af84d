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
 * reference plus every call in flight. The owner's reference is dropped by {@link #finishClose()};
 * whoever brings the count to zero runs the release action. Entering is one atomic add; an
 * add that finds the sign bit set is undone and the call refused. Such an undo can bring the
 * count to zero a second time, so the release action is claimed with a compare-and-set and
 * runs exactly once. The uncontended cost is two atomic adds per call: no allocation, no
 * system call.
 */
public final class HandleGuard {
    private static final int CLOSING = 0x8000_0000;
    private static final VarHandle STATE;
    private static final VarHandle RELEASE_CLAIMED;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(HandleGuard.class, "state", int.class);
            RELEASE_CLAIMED = MethodHandles.lookup().findVarHandle(HandleGuard.class, "releaseClaimed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Runnable release;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile int state = 1;
    @SuppressWarnings("unused") // accessed through RELEASE_CLAIMED
    private volatile boolean releaseClaimed;
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
        if ((int) STATE.getAndAdd(this, 1) >= 0) {
            return true;
        }
        exit(); // closing: undo, and take part in the release if this was the last one out
        return false;
    }

    /** Ends a call registered by {@link #enter()}. */
    public void exit() {
        if ((int) STATE.getAndAdd(this, -1) == (CLOSING | 1) && RELEASE_CLAIMED.compareAndSet(this, false, true)) {
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
        return ((int) STATE.getAndBitwiseOr(this, CLOSING) & CLOSING) == 0;
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
