package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A handle stays open while one of its own methods runs, however unreachable it is otherwise. */
interface LifetimeContract extends KindFixture {

    /**
     * {@code open(n).tryAcquire(30 ms)}: nothing refers to the handle but the running call, so
     * once the JIT has compiled that call, the garbage collector may find the handle unreachable
     * while it waits. The Cleaner must not close it under its own caller (before issue 10 it
     * did, in 28-50% of these calls).
     */
    @Test
    default void aWaitOnAnOtherwiseUnreachableHandleIsNeverClosedUnderItsCaller() throws Exception {
        String name = name("unreachable");
        try (var keeper = create(name, 0, 1)) {
            // Compile the waiting paths first: interpreted frames keep the handle alive anyway.
            for (int i = 0; i < 100_000; i++) {
                keeper.tryAcquire(Duration.ofNanos(1));
            }
            onAVirtualThread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    keeper.tryAcquire(Duration.ofNanos(1));
                }
                return false;
            });
            Thread.sleep(500); // compilation runs in the background; let it install the code
            Thread collector = Thread.ofPlatform().daemon().name("gc pressure").start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    System.gc();
                }
            });
            int calls = 60; // 20-45% of them failed before the fix: none passing by luck
            List<String> closedUnderTheCaller = new ArrayList<>();
            try {
                for (int i = 0; i < calls; i++) {
                    try {
                        // Half on this platform thread (the native wait), half on a virtual one (the pump).
                        boolean acquired = i % 2 == 0 ? open(name).tryAcquire(Duration.ofMillis(30))
                                : onAVirtualThread(() -> open(name).tryAcquire(Duration.ofMillis(30)));
                        assertThat(acquired).as("call %d: no permit is free", i).isFalse();
                    } catch (SemaphoreClosedException e) {
                        closedUnderTheCaller.add((i % 2 == 0 ? "platform " : "virtual ") + i);
                    }
                }
            } finally {
                collector.interrupt();
                collector.join();
            }
            assertThat(closedUnderTheCaller).as("calls (of %d) whose handle was closed under them", calls).isEmpty();
            assertThat(keeper.availablePermits()).isZero();
        }
    }

    /** A call that may wait, run on a new virtual thread; its result, or what it threw. */
    private static boolean onAVirtualThread(java.util.concurrent.Callable<Boolean> call) throws Exception {
        var result = new CompletableFuture<Boolean>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(call.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SemaphoreClosedException closed) {
                throw closed;
            }
            throw new AssertionError("the call failed", e.getCause());
        }
    }
}
