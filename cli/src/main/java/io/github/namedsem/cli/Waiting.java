package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphore;
import java.time.Duration;

/**
 * Takes a permit for {@code acquire} and {@code run} so that a signal can never lose one.
 *
 * <p>If SIGINT or SIGTERM arrives while waiting, the JVM runs its shutdown hooks while the
 * waiting thread still runs. The hook here interrupts the wait and waits for the waiting thread
 * to settle: either the wait ends without a permit, or a permit was handed over at that very
 * moment and the waiting thread gives it back. Either way the count is as before. Once the
 * caller has {@linkplain #commit() committed} (the command started, or "acquired" was printed),
 * the hook runs the caller's own cleanup instead.
 */
final class Waiting {
    private enum State { WAITING, COMMITTED, ABORTED, DONE }

    private final NamedSemaphore semaphore;
    private final int count;
    private State state = State.WAITING; // guarded by this
    private Thread waiter;
    private Runnable onSignalAfterCommit = () -> {};
    private final Thread hook = new Thread(this::onShutdown, "namedsem-signal");

    /** Waits for {@code count} permits, taken at once (see {@link NamedSemaphore#acquire(int)}). */
    Waiting(NamedSemaphore semaphore, int count) {
        this.semaphore = semaphore;
        this.count = count;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Waits for a permit, with a live status line.
     *
     * @param timeout how long; {@code null} for no limit, zero for no wait
     * @return {@code true} holding a permit; {@code false} if the time ran out or a signal
     *     arrived (then nothing is held)
     */
    boolean acquire(Duration timeout, StatusLine status) {
        return acquire(timeout, status, () -> {});
    }

    /**
     * As {@link #acquire(Duration, StatusLine)}, running {@code beforeBlocking} once the permits
     * are found not free at once, before the wait for them begins.
     */
    boolean acquire(Duration timeout, StatusLine status, Runnable beforeBlocking) {
        synchronized (this) {
            if (state != State.WAITING) {
                return false; // a signal came before the wait began
            }
            waiter = Thread.currentThread();
        }
        boolean got = false;
        try {
            got = waitWithStatus(timeout, status, beforeBlocking);
        } catch (InterruptedException signalled) {
            got = false;
        } finally {
            status.clear();
        }
        synchronized (this) {
            if (state == State.ABORTED) {
                if (got) {
                    semaphore.release(count); // handed over as the signal came: give them back
                }
                state = State.DONE;
                notifyAll();
                return false;
            }
            return got;
        }
    }

    private boolean waitWithStatus(Duration timeout, StatusLine status, Runnable beforeBlocking)
            throws InterruptedException {
        if (semaphore.tryAcquire(count)) {
            return true;
        }
        if (timeout != null && timeout.isZero()) {
            return false;
        }
        beforeBlocking.run();
        if (!status.enabled()) {
            // One wait, not ticks: the waiter stays in the OS's queue all along (System V counts it
            // in GETNCNT, which 'info' shows) and does nothing until a permit or the time comes.
            if (timeout == null) {
                semaphore.acquire(count);
                return true;
            }
            return semaphore.tryAcquire(count, timeout);
        }
        long start = System.nanoTime();
        long deadline = timeout == null ? Long.MAX_VALUE : start + timeout.toNanos();
        Duration tick = Duration.ofMillis(200); // only the status line ticks; a release wakes us at once
        for (;;) {
            long remaining = deadline - System.nanoTime();
            if (timeout != null && remaining <= 0) {
                return false;
            }
            Duration slice = timeout == null || remaining > tick.toNanos() ? tick : Duration.ofNanos(remaining);
            if (semaphore.tryAcquire(count, slice)) {
                return true;
            }
            status.show("waiting for " + semaphore.osName() + ": " + freeText(semaphore) + ", "
                    + Durations.format(Duration.ofNanos(System.nanoTime() - start)) + " elapsed");
        }
    }

    /**
     * Marks the permit as the caller's: from now on a signal runs {@code onSignal} (which must
     * release the permit if the caller would have) instead of undoing the acquire.
     *
     * @return {@code false} if a signal came first; the permit has then been given back
     */
    synchronized boolean commit(Runnable onSignal) {
        if (state != State.WAITING) {
            return false;
        }
        state = State.COMMITTED;
        onSignalAfterCommit = onSignal;
        return true;
    }

    /** The caller is finished and has cleaned up itself; a later signal changes nothing. */
    void finish() {
        synchronized (this) {
            state = State.DONE;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to; it will find DONE
        }
    }

    private void onShutdown() {
        Runnable cleanup;
        synchronized (this) {
            switch (state) {
                case WAITING -> {
                    state = State.ABORTED;
                    if (waiter != null) {
                        waiter.interrupt();
                    }
                    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                    while (state != State.DONE && waiter != null && System.nanoTime() < deadline) {
                        try {
                            wait(100);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    return;
                }
                case COMMITTED -> cleanup = onSignalAfterCommit;
                default -> {
                    return;
                }
            }
        }
        cleanup.run();
    }

    /** For messages: "0 of 2 free" or "0 free". */
    static String freeText(NamedSemaphore sem) {
        return sem.availablePermits() + sem.maxPermits().stream().mapToObj(m -> " of " + m).findFirst().orElse("")
                + " free";
    }

    /** For -v: "acquired a permit of /jobs (1 of 2 free now)", or "acquired 3 permits of ...". */
    static String acquiredText(NamedSemaphore sem, int count) {
        return "acquired " + (count == 1 ? "a permit" : count + " permits") + " of " + sem.osName() + " ("
                + freeText(sem) + " now)";
    }
}
