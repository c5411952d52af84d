package io.github.namedsem.internal;

import io.github.namedsem.NamedSemaphoreException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * How a platform thread waits: in the native call itself, in short slices, one thread per
 * handle at a time.
 *
 * <p>The waiting threads of a handle form a queue. Only its head, the <em>leader</em>, waits
 * in the native call; the others park in Java until they become the leader or their wait ends.
 * When the leader leaves (with a permit, or by timeout, interrupt or close) it unparks the
 * next. So N idle waiters cost what one does (one native wait, woken once per slice), not N
 * times that, and a release by another process wakes one thread of this process, not N.
 *
 * <p>The thread that wants the permit is the one that takes it, so a wait that ends never
 * leaves a permit in flight: no other thread or process can find the count lowered by a wait
 * nobody needs any more (unlike a helper thread that takes permits on the waiters' behalf). The
 * slices bound only how long an interrupt or a {@code close()} takes to reach the leader; the
 * others notice at once, since they park in Java.
 *
 * <p>Waits for several permits at once do not queue: a head waiting for K permits would hold
 * up a thread behind it that needs one of the permits already free. They wait in their own
 * slices, as every thread did before the queue.
 *
 * <p>Virtual threads do not wait here: a virtual thread inside a native call pins its carrier.
 * They queue in {@link PermitPump} instead.
 */
final class DirectWait implements WaitStrategy {
    /** The longest native wait; an interrupt or close is noticed within about this long. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** A thread in the queue. Links change only under the queue's lock. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        Waiter next;
        Waiter previous;
    }

    private final NativeSemaphore semaphore;
    private final HandleGuard guard;
    private final Supplier<? extends NamedSemaphoreException> closedError;

    private final Object queueLock = new Object();
    /** The leader, or null; read without the lock by waiters asking whether they lead. */
    private volatile Waiter head;
    private Waiter tail;

    /**
     * @param semaphore the native semaphore
     * @param guard the guard every native call goes through
     * @param closedError makes the exception for a closed handle
     */
    DirectWait(NativeSemaphore semaphore, HandleGuard guard, Supplier<? extends NamedSemaphoreException> closedError) {
        this.semaphore = semaphore;
        this.guard = guard;
        this.closedError = closedError;
    }

    @Override
    public boolean await(int permits, boolean timed, long nanos, boolean interruptible) throws InterruptedException {
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        Waiter me = permits == 1 ? enqueue() : null;
        boolean interrupted = false;
        try {
            for (;;) {
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException("interrupted while waiting for a permit");
                    }
                    interrupted = true;
                }
                long remaining = Long.MAX_VALUE;
                if (timed) {
                    // Deadlines are compared by difference: nanoTime may be negative, and
                    // now + nanos may wrap.
                    remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        // A follower never tried: give it the permit if one is free now.
                        return me != null && head != me && tryOnce(permits);
                    }
                }
                if (me == null || head == me) {
                    if (awaitSlice(permits, Math.min(SLICE_NANOS, remaining))) {
                        return true;
                    }
                } else {
                    if (guard.isClosing()) {
                        throw closedError.get();
                    }
                    // An unpark that came before this park (the leader left just now) makes it
                    // return at once, so no hand-over is lost.
                    if (timed) {
                        LockSupport.parkNanos(this, remaining);
                    } else {
                        LockSupport.park(this);
                    }
                }
            }
        } finally {
            if (me != null) {
                leave(me);
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private boolean awaitSlice(int permits, long slice) {
        if (!guard.enter()) {
            throw closedError.get();
        }
        try {
            return semaphore.awaitPermits(permits, slice);
        } finally {
            guard.exit();
        }
    }

    private boolean tryOnce(int permits) {
        if (!guard.enter()) {
            throw closedError.get();
        }
        try {
            return semaphore.tryAcquire(permits);
        } finally {
            guard.exit();
        }
    }

    private Waiter enqueue() {
        Waiter me = new Waiter();
        synchronized (queueLock) {
            if (tail == null) {
                head = me;
            } else {
                tail.next = me;
                me.previous = tail;
            }
            tail = me;
        }
        return me;
    }

    /** Takes {@code me} out of the queue; if it led, the next thread leads and is unparked. */
    private void leave(Waiter me) {
        Waiter successor = null;
        synchronized (queueLock) {
            if (me.previous == null) {
                head = me.next;
                successor = me.next;
            } else {
                me.previous.next = me.next;
            }
            if (me.next == null) {
                tail = me.previous;
            } else {
                me.next.previous = me.previous;
            }
        }
        if (successor != null) {
            LockSupport.unpark(successor.thread);
        }
    }

    /**
     * Unparks every queued thread; each sees the closing guard and throws the closed
     * exception. The leader sees it within one slice.
     */
    @Override
    public void close() {
        synchronized (queueLock) {
            for (Waiter w = head; w != null; w = w.next) {
                LockSupport.unpark(w.thread);
            }
        }
    }
}
