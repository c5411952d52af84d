package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Interrupts, timeouts, close during waits, and virtual threads. */
interface WaitingContract extends KindFixture {

    /**
     * Waits until the thread waits for a permit, so the test acts on a real waiter: a virtual
     * thread parks in the pump's queue; a platform thread sits in the native wait.
     */
    private static void awaitWaiting(Thread t) throws InterruptedException {
        awaitAllWaiting(List.of(t));
    }

    private static void awaitAllWaiting(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread t : threads) {
            while (!isWaitingForAPermit(t)) {
                assertThat(System.nanoTime()).as("thread %s starts waiting", t).isLessThan(deadline);
                Thread.sleep(1);
            }
        }
        Thread.sleep(20); // inside the wait, not on the way there
    }

    private static boolean isWaitingForAPermit(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(frame ->
                frame.getClassName().endsWith(".DirectWait") || frame.getClassName().endsWith(".PermitPump")
                        || frame.getClassName().endsWith(".ClusterHandle"));
    }

    private static boolean pumpRuns(NamedSemaphore sem) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("namedsem-waiter " + sem.osName()));
    }

    @Test
    default void interruptEndsABlockingAcquireWithin100ms() throws Exception {
        try (var sem = createDrained(name("intr"), 1)) {
            AtomicLong caughtAt = new AtomicLong();
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                try {
                    sem.acquire();
                    outcome.set(new AssertionError("acquired without a permit"));
                } catch (Throwable t) {
                    caughtAt.set(System.nanoTime());
                    outcome.set(t);
                }
            });
            awaitWaiting(waiter);
            long interruptedAt = System.nanoTime();
            waiter.interrupt();
            waiter.join(5_000);
            assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(caughtAt.get() - interruptedAt)).isLessThan(100);
            sem.release();
            assertThat(sem.availablePermits()).as("the interrupted waiter took nothing").isEqualTo(1);
        }
    }

    @Test
    default void interruptEndsATimedWaitWithin100ms() throws Exception {
        try (var sem = create(name("intrtimed"), 0, 1)) {
            var result = new CompletableFuture<Long>();
            Thread waiter = Thread.ofVirtual().start(() -> {
                try {
                    sem.tryAcquire(Duration.ofMinutes(1));
                    result.completeExceptionally(new AssertionError("returned without interrupt"));
                } catch (InterruptedException e) {
                    result.complete(System.nanoTime());
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            awaitWaiting(waiter);
            long interruptedAt = System.nanoTime();
            waiter.interrupt();
            long caughtAt = result.get(5, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(caughtAt - interruptedAt)).isLessThan(100);
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @Test
    default void anInterruptOnEntryThrowsEvenWithPermitsFree() {
        try (var sem = create(name("entry"), 1)) {
            Thread.currentThread().interrupt();
            assertThatThrownBy(sem::acquire).isInstanceOf(InterruptedException.class);
            assertThat(Thread.interrupted()).isFalse();
            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> sem.tryAcquire(Duration.ofSeconds(1))).isInstanceOf(InterruptedException.class);
            assertThat(sem.availablePermits()).isEqualTo(1);
        }
    }

    @Test
    default void acquireUninterruptiblyKeepsWaitingAndKeepsTheInterruptStatus() throws Exception {
        try (var sem = createDrained(name("unintr"), 1)) {
            var interruptedAfter = new CompletableFuture<Boolean>();
            Thread waiter = Thread.ofPlatform().start(() -> {
                sem.acquireUninterruptibly();
                interruptedAfter.complete(Thread.currentThread().isInterrupted());
            });
            awaitWaiting(waiter);
            waiter.interrupt();
            Thread.sleep(100);
            assertThat(interruptedAfter).isNotDone();
            sem.release();
            assertThat(interruptedAfter.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @Test
    default void timedTryAcquireReturnsFalseAfterTheTimeoutAndWellUnderASecond() throws Exception {
        try (var sem = create(name("timed"), 0, 1)) {
            long start = System.nanoTime();
            assertThat(sem.tryAcquire(200, TimeUnit.MILLISECONDS)).isFalse();
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsed).isGreaterThanOrEqualTo(200).isLessThan(1000);
        }
    }

    @Test
    default void hugeTimeoutsWaitInsteadOfOverflowing() throws Exception {
        try (var sem = createDrained(name("huge"), 1)) {
            for (Thread.Builder builder : List.of(Thread.ofPlatform(), Thread.ofVirtual())) {
                var result = new CompletableFuture<Boolean>();
                builder.start(() -> {
                    try {
                        result.complete(sem.tryAcquire(Duration.ofSeconds(Long.MAX_VALUE)));
                    } catch (Throwable t) {
                        result.completeExceptionally(t);
                    }
                });
                Thread.sleep(100);
                assertThat(result).as("still waiting").isNotDone();
                sem.release(); // the permit the previous round's waiter took, or the drained one
                assertThat(result.get(5, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    default void aReleaseFromAnotherThreadWakesAWaiter() throws Exception {
        try (var sem = createDrained(name("wake"), 1)) {
            var acquired = Waits.tryAcquireAsync(sem, Duration.ofSeconds(30));
            Thread.sleep(50);
            sem.release();
            assertThat(acquired.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(sem.availablePermits()).isZero();
        }
    }

    @Test
    default void waitsFromSeveralHandlesInOneProcessAllProceed() throws Exception {
        String name = name("handles");
        try (var a = createDrained(name, 2); var b = open(name)) {
            var fa = Waits.tryAcquireAsync(a, Duration.ofSeconds(30));
            var fb = Waits.tryAcquireAsync(b, Duration.ofSeconds(30));
            Thread.sleep(50);
            a.release(2);
            assertThat(fa.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(fb.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    default void closeWakesEveryWaiterWithClosedAndHoldsNoPermit() throws Exception {
        String name = name("closewait");
        var keeper = create(name, 0, 8); // keeps the object alive on Windows
        var sem = open(name);
        var outcomes = new ConcurrentLinkedQueue<Throwable>();
        List<Thread> waiters = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Thread.Builder builder = i % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            boolean timed = i % 3 == 0;
            waiters.add(builder.start(() -> {
                try {
                    if (timed) {
                        sem.tryAcquire(Duration.ofMinutes(1));
                    } else {
                        sem.acquire();
                    }
                    outcomes.add(new AssertionError("got a permit"));
                } catch (Throwable t) {
                    outcomes.add(t);
                }
            }));
        }
        for (Thread t : waiters) {
            awaitWaiting(t);
        }
        long start = System.nanoTime();
        sem.close();
        for (Thread t : waiters) {
            t.join(5_000);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1000);
        assertThat(outcomes).hasSize(6).allMatch(SemaphoreClosedException.class::isInstance);
        try (keeper) {
            assertThat(keeper.availablePermits()).isZero();
        }
    }

    @Test
    default void closeRacingWithBusyThreadsNeverCrashesAndEndsThemWithClosed() throws Exception {
        for (int round = 0; round < 20; round++) {
            var sem = create(name("closerace"), 2, 4);
            var failures = new ConcurrentLinkedQueue<Throwable>();
            var started = new CountDownLatch(4);
            List<Thread> workers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int id = i;
                workers.add(Thread.ofPlatform().start(() -> {
                    started.countDown();
                    try {
                        for (;;) {
                            boolean got = id % 2 == 0 ? sem.tryAcquire() : sem.tryAcquire(Duration.ofMillis(2));
                            if (got) {
                                sem.release();
                            }
                            sem.availablePermits();
                        }
                    } catch (SemaphoreClosedException expected) {
                        // the documented end
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            started.await();
            Thread.sleep(5);
            sem.close();
            for (Thread t : workers) {
                t.join(5_000);
                assertThat(t.isAlive()).isFalse();
            }
            assertThat(failures).isEmpty();
        }
    }

    private static boolean inNativeWait(Thread t) {
        return Arrays.stream(t.getStackTrace()).anyMatch(frame ->
                frame.getClassName().endsWith(".DirectWait") && frame.getMethodName().equals("awaitSlice"));
    }

    /**
     * Platform threads queue behind at most 16 leaders per handle (DirectWait.MOST_IN_THE_OS):
     * however many wait, at most 16 are in the native wait, a queued one that is interrupted
     * leaves at once, and every one of the others gets through.
     */
    @Test
    default void manyPlatformThreadsWaitOneAtATimeInTheOsAndAllGetThrough() throws Exception {
        int threads = operationsAreLocal() ? 200 : 20;
        try (var sem = createDrained(name("leader"), 4)) {
            var done = new AtomicInteger();
            var failures = new ConcurrentLinkedQueue<Throwable>();
            var interrupted = new CompletableFuture<Throwable>();
            List<Thread> all = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                all.add(Thread.ofPlatform().start(() -> {
                    try {
                        sem.acquire();
                        sem.release();
                        done.incrementAndGet();
                    } catch (InterruptedException e) {
                        interrupted.complete(e);
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            awaitAllWaiting(all);
            for (int sample = 0; sample < 10; sample++) {
                assertThat(all.stream().filter(WaitingContract::inNativeWait).count())
                        .as("threads in the native wait at once").isLessThanOrEqualTo(16);
                Thread.sleep(7);
            }

            Thread queued = all.stream().filter(t -> !inNativeWait(t)).findFirst().orElseThrow();
            long interruptedAt = System.nanoTime();
            queued.interrupt();
            assertThat(interrupted.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interruptedAt)).isLessThan(100);

            sem.release(4);
            for (Thread t : all) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertThat(failures).isEmpty();
            assertThat(done).hasValue(threads - 1);
            assertThat(sem.availablePermits()).isEqualTo(4);
        }
    }

    @Test
    default void tenThousandVirtualThreadsWaitWithoutPinningCarriersAndAllGetThrough() throws Exception {
        int threads = operationsAreLocal() ? 10_000 : 200;
        try (var sem = createDrained(name("virtual"), 4)) {
            var done = new AtomicInteger();
            var waiting = new CountDownLatch(threads);
            var failures = new ConcurrentLinkedQueue<Throwable>();
            List<Thread> all = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                all.add(Thread.ofVirtual().start(() -> {
                    try {
                        waiting.countDown();
                        sem.acquire();
                        sem.release();
                        done.incrementAndGet();
                    } catch (Throwable t) {
                        failures.add(t);
                    }
                }));
            }
            assertThat(waiting.await(60, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // all of them are queued on the semaphore now, none has a permit

            // Were they blocked in native waits, they would hold every carrier and this
            // virtual thread could not run.
            var ran = new CompletableFuture<Boolean>();
            Thread.ofVirtual().start(() -> ran.complete(true));
            assertThat(ran.get(5, TimeUnit.SECONDS)).isTrue();
            assertThat(done).hasValue(0);
            assertThat(Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("namedsem-waiter " + sem.osName())).count())
                    .as("one native waiter for the handle, if the kind has one").isEqualTo(waitsThroughThePump() ? 1 : 0);

            sem.release(4);
            for (Thread t : all) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertThat(failures).isEmpty();
            assertThat(done).hasValue(threads);
            assertThat(sem.availablePermits()).isEqualTo(4);
        }
    }

    @Test
    default void theNativeWaiterThreadEndsAfterCloseSoNothingLeaks() throws Exception {
        var sem = create(name("pumpend"), 0, 1);
        var timedOut = new CompletableFuture<Boolean>();
        Thread.ofVirtual().start(() -> { // virtual threads wait through the pump thread
            try {
                timedOut.complete(!sem.tryAcquire(Duration.ofMillis(30)));
            } catch (Throwable t) {
                timedOut.completeExceptionally(t);
            }
        });
        assertThat(timedOut.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(pumpRuns(sem)).as("the pump ran, if the kind has one").isEqualTo(waitsThroughThePump());
        sem.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (pumpRuns(sem)) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
