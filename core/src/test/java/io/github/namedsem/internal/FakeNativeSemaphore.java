package io.github.namedsem.internal;

import io.github.namedsem.PermitLimitExceededException;
import io.github.namedsem.SemaphoreKind;
import java.util.OptionalInt;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory {@link NativeSemaphore} for testing what sits above the backends (the pump, the
 * guard) on its own. Its count is what every test checks permits against: whatever the
 * waiting layer takes from it must come back or be reported to a caller.
 *
 * <p>{@link #grant(int)} plays another process releasing permits; {@link #beforeReturningAPermit}
 * runs inside {@link #awaitPermits} after it has taken permits and before it returns, so a test
 * can choose when the waiting layer learns of the permit.
 */
final class FakeNativeSemaphore implements NativeSemaphore {
    private final int max;
    private final Semaphore count;
    private final AtomicInteger awaitCalls = new AtomicInteger();
    private final AtomicInteger inAwait = new AtomicInteger();
    private final AtomicInteger mostInAwaitAtOnce = new AtomicInteger();
    private volatile boolean closed;
    volatile Runnable beforeReturningAPermit = () -> {};

    FakeNativeSemaphore(int initial, int max) {
        this.max = max;
        this.count = new Semaphore(initial);
    }

    /** Adds permits as another process would; not through the handle. */
    void grant(int permits) {
        count.release(permits);
    }

    int available() {
        return count.availablePermits();
    }

    /** How many times the waiting layer has called {@link #awaitPermit}. */
    int awaitCalls() {
        return awaitCalls.get();
    }

    /** The most threads that were inside {@link #awaitPermits} at the same moment. */
    int mostInAwaitAtOnce() {
        return mostInAwaitAtOnce.get();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public boolean tryAcquire() {
        return tryAcquire(1);
    }

    @Override
    public boolean awaitPermit(long nanos) {
        return awaitPermits(1, nanos);
    }

    /** Like the crash-safe kind: several permits in one step, all or none. */
    @Override
    public boolean takesSeveralAtomically() {
        return true;
    }

    @Override
    public boolean tryAcquire(int permits) {
        checkOpen();
        return count.tryAcquire(permits);
    }

    @Override
    public boolean awaitPermits(int permits, long nanos) {
        checkOpen();
        awaitCalls.incrementAndGet();
        mostInAwaitAtOnce.accumulateAndGet(inAwait.incrementAndGet(), Math::max);
        boolean got;
        try {
            got = count.tryAcquire(permits, nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false; // as a native wait cut short by a signal: callers loop
        } finally {
            inAwait.decrementAndGet();
        }
        if (got) {
            beforeReturningAPermit.run();
        }
        return got;
    }

    @Override
    public synchronized int release(int permits) {
        checkOpen();
        int before = count.availablePermits();
        if (before + permits > max) {
            throw new PermitLimitExceededException("fake: " + before + " + " + permits + " > " + max,
                    "fake", "fake", SemaphoreKind.STANDARD, 0, null);
        }
        count.release(permits);
        return before;
    }

    @Override
    public int availablePermits() {
        checkOpen();
        return count.availablePermits();
    }

    @Override
    public OptionalInt maxPermits() {
        return OptionalInt.of(max);
    }

    @Override
    public String osName() {
        return "fake";
    }

    @Override
    public void close() {
        closed = true;
    }

    /** The guard must make a call on a closed native semaphore impossible; fail loudly if not. */
    private void checkOpen() {
        if (closed) {
            throw new AssertionError("called after close: the guard let a call through");
        }
    }
}
