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
public final class DirectWait {
    /** The longest native wait; an interrupt or close is noticed within about this long. */
    public static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private DirectWait() {}

    /**
     * Waits for one permit.
     *
     * @param semaphore the native semaphore
     * @param guard the guard every native call goes through
     * @param closedError makes the exception for a closed handle
     * @param timeoutNanos how long to wait; negative to wait without limit
     * @param interruptible whether an interrupt ends the wait
     * @return {@code true} holding a permit, {@code false} if the time ran out
     * @throws InterruptedException if {@code interruptible} and the thread is interrupted
     *     before a permit is taken; a permit taken in the slice during which the interrupt
     *     arrived is kept, and the interrupt status is then left set
     */
    public static boolean await(NativeSemaphore semaphore, HandleGuard guard,
                                Supplier<? extends NamedSemaphoreException> closedError,
                                long timeoutNanos, boolean interruptible) throws InterruptedException {
        boolean timed = timeoutNanos >= 0;
        long deadline = timed ? System.nanoTime() + timeoutNanos : 0L;
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
                    if (semaphore.awaitPermit(slice)) {
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
}
