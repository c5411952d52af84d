package io.github.namedsem.internal;

import io.github.namedsem.NamedSemaphoreException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * How a platform thread waits: in the native call itself, in short slices, at most
 * {@value #MOST_IN_THE_OS} threads per handle at a time.
 *
 * <p>The first {@value #MOST_IN_THE_OS} waiting threads of a handle are <em>leaders</em> and
 * wait in the native call; any others queue in Java, first in first out, parked until a leader
 * leaves (with a permit, or by timeout, interrupt or close) and the first of them takes its
 * place. So 10,000 idle waiters cost what {@value #MOST_IN_THE_OS} do (each native wait wakes
 * once per slice), not 10,000 times what one does; and up to {@value #MOST_IN_THE_OS} threads
 * of a handle compete for permits in the kernel one by one, as separate waiters, against the
 * waiters of other processes, so a busy JVM is not reduced to a single waiter in the kernel's
 * order (one leader per handle gave eight threads about 1 turn in 10 against eight C processes,
 * where each thread as its own waiter gets 1 in 2: MixedLoadTest).
 *
 * <p>The thread that wants the permit is the one that takes it, so a wait that ends never
 * leaves a permit in flight: no other thread or process can find the count lowered by a wait
 * nobody needs any more (unlike a helper thread that takes permits on the waiters' behalf). The
 * slices bound only how long an interrupt or a {@code close()} takes to reach a leader; queued
 * threads notice at once, since they park in Java.
 *
 * <p>Waits for several permits at once do not queue: one queued ahead, waiting for K permits,
 * would hold up a thread behind it that needs one of the permits already free. They wait in
 * their own slices, as every thread did before the queue.
 *
 * <p>Virtual threads do not wait here: a virtual thread inside a native call pins its carrier.
 * They queue in {@link PermitPump} instead.
 */
final class DirectWait implements WaitStrategy {
    /** The longest native wait; an interrupt or close is noticed within about this long. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /**
     * How many platform threads of one handle wait in the native call at once: enough that
     * the threads of a busy process each compete with other processes' waiters, few enough
     * that their slices cost next to nothing (about 0.1 % of a core each).
     */
    static final int MOST_IN_THE_OS = 16;

    /** A waiting thread. Its links change only under the queue's lock. */
    private static final class Waiter {
        final Thread thread = Thread.currentThread();
        /** Set once, under the lock, when it becomes a leader; read without the lock. */
        volatile boolean leads;
        Waiter next;
        Waiter previous;
    }

    private final NativeSemaphore semaphore;
    private final HandleGuard guard;
    private final Supplier<? extends NamedSemaphoreException> closedError;

    private final Object queueLock = new Object();
    private int leaders;
    /** The queued threads that do not lead, first to last. */
    private Waiter head;
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
                        // One last look, as a thread that led all along had at its last slice:
                        // one queued until now (or promoted just now) would otherwise give up
                        // next to a free permit.
                        return tryOnce(permits);
                    }
                }
                if (me == null || me.leads) {
                    if (awaitSlice(permits, Math.min(SLICE_NANOS, remaining))) {
                        return true;
                    }
                } else {
                    if (guard.isClosing()) {
                        throw closedError.get();
                    }
                    // An unpark that came before this park (a leader left just now) makes it
                    // return at once, so no promotion is lost.
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
            if (leaders < MOST_IN_THE_OS) {
                leaders++;
                me.leads = true;
            } else {
                append(me);
            }
        }
        return me;
    }

    /**
     * Takes {@code me} out: a leader's place goes to the first queued thread, which is
     * unparked; a queued thread just leaves the queue.
     */
    private void leave(Waiter me) {
        Waiter promoted = null;
        synchronized (queueLock) {
            if (me.leads) {
                promoted = head;
                if (promoted == null) {
                    leaders--;
                } else {
                    unlink(promoted);
                    promoted.leads = true;
                }
            } else {
                unlink(me);
            }
        }
        if (promoted != null) {
            LockSupport.unpark(promoted.thread);
        }
    }

    private void append(Waiter w) {
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
            w.previous = tail;
        }
        tail = w;
    }

    private void unlink(Waiter w) {
        if (w.previous == null) {
            head = w.next;
        } else {
            w.previous.next = w.next;
        }
        if (w.next == null) {
            tail = w.previous;
        } else {
            w.next.previous = w.previous;
        }
        w.next = null;
        w.previous = null;
    }

    /**
     * Unparks every queued thread; each sees the closing guard and throws the closed
     * exception. Leaders see it within one slice.
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
