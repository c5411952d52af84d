package io.github.namedsem.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandleGuardTest {

    @Test
    void releasesOnceWhenClosedWithNothingInFlight() {
        var releases = new AtomicInteger();
        var guard = new HandleGuard(releases::incrementAndGet);
        assertThat(guard.enter()).isTrue();
        guard.exit();
        assertThat(guard.beginClose()).isTrue();
        assertThat(guard.beginClose()).isFalse();
        guard.finishClose();
        assertThat(releases).hasValue(1);
        assertThat(guard.enter()).isFalse();
        assertThat(guard.isClosing()).isTrue();
    }

    @Test
    void closeWaitsForTheCallInFlightAndTheLastOneOutReleases() throws Exception {
        var releasedBy = new CompletableFuture<String>();
        var guard = new HandleGuard(() -> releasedBy.complete(Thread.currentThread().getName()));
        assertThat(guard.enter()).isTrue(); // a call in flight on this thread
        assertThat(guard.beginClose()).isTrue();
        var closer = Thread.ofPlatform().name("closer").start(guard::finishClose);
        Thread.sleep(50);
        assertThat(releasedBy).as("not released while a call is in flight").isNotDone();
        assertThat(guard.enter()).as("no new call enters while closing").isFalse();
        Thread.currentThread().setName("last-out");
        guard.exit();
        assertThat(releasedBy.get(5, TimeUnit.SECONDS)).isEqualTo("last-out");
        closer.join(5_000);
        assertThat(closer.isAlive()).isFalse();
    }

    @Test
    void closingUnderAStormOfCallsReleasesExactlyOnceAndAdmitsNothingAfterwards() throws Exception {
        for (int round = 0; round < 200; round++) {
            var releases = new AtomicInteger();
            var released = new java.util.concurrent.atomic.AtomicBoolean();
            var callsAfterRelease = new AtomicInteger();
            var guard = new HandleGuard(() -> {
                releases.incrementAndGet();
                released.set(true);
            });
            var threads = new java.util.ArrayList<Thread>();
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        if (guard.enter()) {
                            if (released.get()) {
                                callsAfterRelease.incrementAndGet();
                            }
                            guard.exit();
                        }
                    }
                }));
            }
            if (guard.beginClose()) {
                guard.finishClose();
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(releases).hasValue(1);
            assertThat(callsAfterRelease).hasValue(0);
        }
    }

    @Test
    void aFailureOfTheReleaseReachesTheCloser() {
        var guard = new HandleGuard(() -> {
            throw new IllegalStateException("sem_close failed");
        });
        assertThat(guard.beginClose()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(guard::finishClose).hasMessage("sem_close failed");
    }

    @Test
    void anInterruptDoesNotCutTheCloseShortButIsKept() throws Exception {
        var guard = new HandleGuard(() -> {});
        assertThat(guard.enter()).isTrue();
        assertThat(guard.beginClose()).isTrue();
        var interruptedAfter = new CompletableFuture<Boolean>();
        var closer = Thread.ofPlatform().start(() -> {
            guard.finishClose();
            interruptedAfter.complete(Thread.currentThread().isInterrupted());
        });
        Thread.sleep(30);
        closer.interrupt();
        Thread.sleep(30);
        assertThat(interruptedAfter).isNotDone();
        guard.exit();
        assertThat(interruptedAfter.get(5, TimeUnit.SECONDS)).isTrue();
    }
}
