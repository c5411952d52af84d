package io.github.namedsem.internal;

import io.github.namedsem.NamedSemaphoreException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * How virtual threads wait: they park in a JVM-local FIFO queue, and a single platform thread
 * per handle, the pump, waits in native code on their behalf and hands each permit it takes to
 * the first thread in the queue.
 *
 * <p>A virtual thread blocked in a native call pins its carrier, so with 10,000 virtual threads
 * waiting that way the JVM would run out of carriers. Here they park like on any
 * {@code java.util.concurrent} lock and pin nothing; only the pump, a platform thread, is ever
 * inside a native wait. Interrupts, timeouts and {@code close()} reach parked threads at once.
 *
 * <p>The pump waits in slices of at most {@link DirectWait#SLICE_NANOS}, and never past the
 * deadline of the first thread in the queue: a permit released by any process wakes it as soon
 * as the kernel does (the slice is a bound, not a polling interval). The pump waits only while
 * some thread is queued, and exits after {@link #LINGER_NANOS} without one. If it takes a
 * permit that nobody waits for any more (the waiter was interrupted a moment before, or the
 * handle is closing), it gives it straight back; that window lasts at most one slice after the
 * last waiter left.
 */
final class PermitPump implements WaitStrategy {
    /** How long an idle pump stays, so that bursts of waits do not start a thread each. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final NativeSemaphore semaphore;
    private final HandleGuard guard;
    private final Supplier<? extends NamedSemaphoreException> closedError;
    private final String threadName;

    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>(); // guarded by lock
    private Thread pump; // guarded by lock
    private volatile boolean closed;

    /**
     * @param semaphore the native semaphore to wait on
     * @param guard the guard every native call goes through
     * @param closedError makes the exception for threads that wait on a closed handle
     * @param threadName the pump thread's name, which shows in thread dumps
     */
    PermitPump(NativeSemaphore semaphore, HandleGuard guard,
                      Supplier<? extends NamedSemaphoreException> closedError, String threadName) {
        this.semaphore = semaphore;
        this.guard = guard;
        this.closedError = closedError;
        this.threadName = threadName;
    }

    /**
     * Waits in the queue until the pump hands this thread a permit; see
     * {@link WaitStrategy#await}. If a permit is handed over at the same moment as an interrupt
     * or the timeout, the handover wins.
     */
    @Override
    public boolean await(int permits, boolean timed, long nanos, boolean interruptible) throws InterruptedException {
        long deadline = timed ? System.nanoTime() + nanos : 0L;
        Waiter waiter = new Waiter(Thread.currentThread(), permits, timed, deadline);
        enqueue(waiter);
        boolean interrupted = false;
        try {
            for (;;) {
                int state = waiter.state;
                if (state == Waiter.GRANTED) {
                    return true;
                }
                if (state == Waiter.FAILED) {
                    throw waiter.failure;
                }
                if (Thread.interrupted()) {
                    interrupted = true;
                    if (interruptible && waiter.cancel()) {
                        interrupted = false;
                        throw new InterruptedException("interrupted while waiting for a permit");
                    }
                    continue; // handed a permit or failed meanwhile: report that instead
                }
                if (timed) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        if (waiter.cancel()) {
                            return false;
                        }
                        continue;
                    }
                    LockSupport.parkNanos(this, remaining);
                } else {
                    LockSupport.park(this);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Fails every queued waiter with the closed exception, refuses new ones, and lets the pump
     * run out. The guard must already be closing.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            failAll(closedError.get());
            if (pump != null) {
                LockSupport.unpark(pump);
            }
        } finally {
            lock.unlock();
        }
    }

    private void enqueue(Waiter waiter) {
        lock.lock();
        try {
            if (closed) {
                throw closedError.get();
            }
            // Timed-out and interrupted waiters stay queued until the pump passes them; sweep
            // them out now and then so that a long stream of short waits cannot grow the queue.
            if (queue.size() >= 64 && Integer.bitCount(queue.size()) == 1) {
                queue.removeIf(Waiter::isDone);
            }
            queue.addLast(waiter);
            if (pump == null) {
                pump = Thread.ofPlatform().daemon().name(threadName).start(this::pumpLoop);
            } else {
                LockSupport.unpark(pump);
            }
        } finally {
            lock.unlock();
        }
    }

    private void pumpLoop() {
        long idleUntil = 0;
        for (;;) {
            Waiter first;
            lock.lock();
            try {
                first = firstWaiting();
                if (first == null) {
                    long now = System.nanoTime();
                    if (idleUntil == 0) {
                        idleUntil = now + LINGER_NANOS;
                    } else if (closed || now - idleUntil >= 0) {
                        pump = null;
                        return;
                    }
                }
            } finally {
                lock.unlock();
            }
            if (first == null) {
                if (!closed) {
                    LockSupport.parkNanos(this, LINGER_NANOS);
                }
                continue;
            }
            idleUntil = 0;
            // Never wait past the first waiter's deadline: a wait nobody needs may take a permit.
            long slice = first.timed
                    ? Math.min(DirectWait.SLICE_NANOS, first.deadline - System.nanoTime())
                    : DirectWait.SLICE_NANOS;
            if (slice > 0) {
                takePermitsForTheQueue(first.permits, slice);
            } else {
                Thread.onSpinWait(); // its own timeout is about to remove it
            }
        }
    }

    /** Takes what the first waiter asks for, and hands it over or gives it back. */
    private void takePermitsForTheQueue(int permits, long slice) {
        if (!guard.enter()) {
            failAll(closedError.get());
            return;
        }
        try {
            if ((semaphore.tryAcquire(permits) || semaphore.awaitPermits(permits, slice)) && !handOver(permits)) {
                giveBack(permits);
            }
        } catch (NamedSemaphoreException e) {
            failAll(e);
        } finally {
            guard.exit();
        }
    }

    private void giveBack(int permits) {
        try {
            semaphore.release(permits);
        } catch (NamedSemaphoreException e) {
            // Only possible when other processes raised the count to its maximum meanwhile:
            // the permit is then surplus to the maximum, and dropping it keeps the count there.
        }
    }

    /**
     * Gives the permits the pump holds to the first waiter still waiting, if it asked for
     * that many; a waiter that asked for another number is left first in the queue and the
     * permits go back (a waiter that asked for more must not take fewer).
     */
    private boolean handOver(int permits) {
        lock.lock();
        try {
            for (Waiter w; (w = firstWaiting()) != null && w.permits == permits; ) {
                queue.pollFirst();
                if (w.grant()) {
                    return true;
                }
            }
            return false;
        } finally {
            lock.unlock();
        }
    }

    private Waiter firstWaiting() {
        Waiter w;
        while ((w = queue.peekFirst()) != null && w.isDone()) {
            queue.pollFirst();
        }
        return w;
    }

    private void failAll(NamedSemaphoreException failure) {
        lock.lock();
        try {
            for (Waiter w; (w = queue.pollFirst()) != null; ) {
                w.fail(failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** One waiting thread. Its state leaves WAITING once, by whichever CAS comes first. */
    private static final class Waiter {
        static final int WAITING = 0, GRANTED = 1, CANCELLED = 2, FAILED = 3;
        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Thread thread;
        final int permits;
        final boolean timed;
        // System.nanoTime() at which a timed waiter stops waiting. Compare only by difference
        // (deadline - now): nanoTime may be negative, and now + timeout may wrap around.
        final long deadline;
        volatile int state;
        NamedSemaphoreException failure; // written before the FAILED CAS publishes it

        Waiter(Thread thread, int permits, boolean timed, long deadline) {
            this.thread = thread;
            this.permits = permits;
            this.timed = timed;
            this.deadline = deadline;
        }

        boolean isDone() {
            return state != WAITING;
        }

        boolean cancel() {
            return STATE.compareAndSet(this, WAITING, CANCELLED);
        }

        boolean grant() {
            if (STATE.compareAndSet(this, WAITING, GRANTED)) {
                LockSupport.unpark(thread);
                return true;
            }
            return false;
        }

        void fail(NamedSemaphoreException e) {
            failure = e;
            if (STATE.compareAndSet(this, WAITING, FAILED)) {
                LockSupport.unpark(thread);
            }
        }
    }
}
