package io.github.namedsem.internal;

import io.github.namedsem.NamedSemaphoreException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How a platform thread waits: in the native call itself, in short slices.
 *
 * <p>The thread that wants the permit is the one that takes it, so a wait that ends (by
 * timeout, interrupt or close) never leaves a permit in flight: no other thread or process can
 * ever find the count briefly lowered by a wait nobody needs any more. A permit released by
 * another process wakes the thread as fast as the kernel does. The slices only bound how long
 * an interrupt or a {@code close()} takes to be noticed.
 *
 * <p>Virtual threads do not wait here: a virtual thread inside a native call pins its carrier.
 * They queue in {@link PermitPump} instead.
 */
final class DirectWait implements WaitStrategy {
    /** The longest native wait; an interrupt or close is noticed within about this long. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final NativeSemaphore semaphore;
    private final HandleGuard guard;
    private final Supplier<? extends NamedSemaphoreException> closedError;

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
        boolean interrupted = false;
        try {
            for (;;) {
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException("interrupted while waiting for a permit");
                    }
                    interrupted = true;
                }
                long slice = SLICE_NANOS;
                if (timed) {
                    // Deadlines are compared by difference: nanoTime may be negative, and
                    // now + nanos may wrap.
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    slice = Math.min(slice, remaining);
                }
                if (!guard.enter()) {
                    throw closedError.get();
                }
                try {
                    if (semaphore.awaitPermits(permits, slice)) {
                        return true;
                    }
                } finally {
                    guard.exit();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Nothing to do: each waiting thread sees the closing guard within one slice. */
    @Override
    public void close() {}
}
