package io.github.namedsem;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Starts a timed acquire on another thread, for tests in which something else releases. */
final class Waits {
    private Waits() {}

    /** {@code sem.tryAcquire(timeout)} on a new platform thread; its result or exception. */
    static CompletableFuture<Boolean> tryAcquireAsync(NamedSemaphore sem, Duration timeout) {
        var result = new CompletableFuture<Boolean>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(sem.tryAcquire(timeout));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }
}
