package io.github.namedsem.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.namedsem.SemaphoreClosedException;
import io.github.namedsem.SemaphoreKind;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The virtual-thread pump on its own, over an in-memory native semaphore: each race between a
 * permit arriving and the waiter giving up (interrupt, close, timeout) is run many times with
 * random timing, and every permit must end up either with the waiter, which then knows it has
 * it, or back in the semaphore.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PermitPumpTest {
    private static final int ROUNDS = 300;

    /** A pump over a fake semaphore, closed the way {@link SemaphoreHandle} closes it. */
    private static final class Rig implements AutoCloseable {
        final FakeNativeSemaphore fake;
        final HandleGuard guard;
        final PermitPump pump;

        /** @param max the fake's maximum; it starts with no permit free */
        Rig(int max) {
            fake = new FakeNativeSemaphore(0, max);
            guard = new HandleGuard(fake::close);
            pump = new PermitPump(fake, guard, Rig::closedError, "namedsem-waiter test");
            fake.beforeReturningAPermit = () -> spinUpTo(100); // vary when the pump learns of it
        }

        static SemaphoreClosedException closedError() {
            return new SemaphoreClosedException("test handle closed", "fake", "fake", SemaphoreKind.STANDARD, 0, null);
        }

        /** Until the pump waits in the fake on behalf of a queued thread. */
        void awaitPumpWaiting() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (fake.awaitCalls() == 0) {
                assertThat(System.nanoTime()).as("the pump starts waiting").isLessThan(deadline);
                Thread.sleep(1);
            }
        }

        @Override
        public void close() {
            if (guard.beginClose()) {
                pump.close();
                guard.finishClose();
            }
        }
    }

    /** What the waiting thread saw. */
    private static final class Outcome {
        volatile Boolean acquired;
        volatile Throwable thrown;
        volatile boolean interruptedAfterwards;
        final int asked;

        Outcome(int asked) {
            this.asked = asked;
        }

        int held() {
            return Boolean.TRUE.equals(acquired) ? asked : 0;
        }

        String name() {
            return acquired != null ? "returned " + acquired : thrown.getClass().getSimpleName();
        }
    }

    private interface Wait {
        boolean await() throws InterruptedException;
    }

    /** Runs the wait on a virtual thread, as only virtual threads use the pump. */
    private static Thread startWaiter(Wait wait, Outcome outcome, CountDownLatch raceOver) {
        return Thread.ofVirtual().start(() -> {
            try {
                outcome.acquired = wait.await();
            } catch (Throwable t) {
                outcome.thrown = t;
            }
            while (raceOver.getCount() > 0) { // not await(): it would consume an interrupt
                Thread.onSpinWait();
            }
            outcome.interruptedAfterwards = Thread.currentThread().isInterrupted();
        });
    }

    private static void spinUpTo(int micros) {
        long until = System.nanoTime() + ThreadLocalRandom.current().nextLong(micros * 1_000L + 1);
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

    /** Starts both actions together, each after its own random delay. */
    private static void race(Runnable a, Runnable b, int maxDelayMicros) throws Exception {
        var start = new CyclicBarrier(2);
        Thread first = Thread.ofPlatform().start(() -> {
            awaitQuietly(start);
            spinUpTo(maxDelayMicros);
            a.run();
        });
        awaitQuietly(start);
        spinUpTo(maxDelayMicros);
        b.run();
        first.join();
    }

    private static void awaitQuietly(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void join(Thread t) throws InterruptedException {
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(t.isAlive()).as("the waiter finished").isFalse();
    }

    /** What competes with the grant for a waiter that waits without a time limit. */
    private interface Rival {
        void act(Rig rig, Thread waiter);
    }

    /** Checks one round's outcome; {@code context} names the round for the message. */
    private interface Check {
        void check(Outcome outcome, String context);
    }

    /**
     * Rounds of: a thread waits through the pump; a permit arrives while the rival acts; then
     * the handle closes, and the permit must be with the waiter (who says so) or in the fake.
     */
    private static void raceAGrantWith(String rivalName, int permits, Rival rival, Check check) throws Exception {
        Map<String, Integer> seen = new TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            var outcome = new Outcome(permits);
            var raceOver = new CountDownLatch(1);
            var rig = new Rig(permits); // the test closes it; finally, if it fails first
            try {
                Thread waiter = startWaiter(() -> rig.pump.await(permits, false, 0, true), outcome, raceOver);
                rig.awaitPumpWaiting();
                race(() -> rig.fake.grant(permits), () -> rival.act(rig, waiter), 200);
                raceOver.countDown();
                join(waiter);
                String context = "round " + round + ": " + outcome.name();
                check.check(outcome, context);
                rig.close(); // waits for the pump to give back a permit nobody took
                assertThat(rig.fake.isClosed()).as("closed once every call left").isTrue();
                assertThat(rig.fake.available() + outcome.held()).as(context + ": permits conserved").isEqualTo(permits);
            } finally {
                rig.close();
            }
            seen.merge(outcome.name(), 1, Integer::sum);
        }
        System.out.println("grant of " + permits + " racing " + rivalName + ", " + ROUNDS + " rounds: " + seen);
    }

    @Test
    void aGrantRacingAnInterruptIsHandedOverWithTheInterruptSetOrGivenBack() throws Exception {
        raceAGrantWith("interrupt", 1, (rig, waiter) -> waiter.interrupt(), PermitPumpTest::handedOverOrInterrupted);
    }

    @Test
    void severalPermitsRacingAnInterruptAreHandedOverAllTogetherOrAllGivenBack() throws Exception {
        raceAGrantWith("interrupt", 3, (rig, waiter) -> waiter.interrupt(), PermitPumpTest::handedOverOrInterrupted);
    }

    private static void handedOverOrInterrupted(Outcome outcome, String context) {
        if (outcome.acquired != null) {
            assertThat(outcome.acquired).as(context).isTrue();
            assertThat(outcome.interruptedAfterwards).as(context + ": the interrupt is kept").isTrue();
        } else {
            assertThat(outcome.thrown).as(context).isInstanceOf(InterruptedException.class);
            assertThat(outcome.interruptedAfterwards).as(context + ": the status is cleared").isFalse();
        }
    }

    @Test
    void aGrantRacingCloseIsHandedOverOrEndsInClosedAndTheFakeGetsItBack() throws Exception {
        raceAGrantWith("close", 1, (rig, waiter) -> rig.close(), (outcome, context) -> {
            if (outcome.acquired != null) {
                assertThat(outcome.acquired).as(context).isTrue();
            } else {
                assertThat(outcome.thrown).as(context).isInstanceOf(SemaphoreClosedException.class);
            }
            assertThat(outcome.interruptedAfterwards).as(context).isFalse();
        });
    }

    @Test
    void aTimeoutRacingAGrantReturnsFalseWithThePermitGivenBackOrTrue() throws Exception {
        Map<String, Integer> seen = new TreeMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            var outcome = new Outcome(1);
            var raceOver = new CountDownLatch(1);
            var rig = new Rig(1); // the test closes it; finally, if it fails first
            try {
                long timeout = TimeUnit.MILLISECONDS.toNanos(2);
                Thread waiter = startWaiter(() -> rig.pump.await(true, timeout, true), outcome, raceOver);
                spinUpTo(4_000); // grant before, around or after the deadline
                rig.fake.grant(1);
                raceOver.countDown();
                join(waiter);
                String context = "round " + round + ": " + outcome.name();
                assertThat(outcome.thrown).as(context).isNull();
                assertThat(outcome.interruptedAfterwards).as(context).isFalse();
                rig.close();
                assertThat(rig.fake.available() + outcome.held()).as(context + ": permits conserved").isEqualTo(1);
            } finally {
                rig.close();
            }
            seen.merge(outcome.name(), 1, Integer::sum);
        }
        System.out.println("timeout racing grant, " + ROUNDS + " rounds: " + seen);
    }

    @Test
    void anUninterruptibleWaitKeepsWaitingThroughAnInterruptAndReportsIt() throws Exception {
        var outcome = new Outcome(1);
        var raceOver = new CountDownLatch(1);
        var rig = new Rig(1); // the test closes it; finally, if it fails first
        try {
            Thread waiter = startWaiter(() -> rig.pump.await(false, 0, false), outcome, raceOver);
            rig.awaitPumpWaiting();
            waiter.interrupt();
            Thread.sleep(50);
            assertThat(outcome.acquired).as("still waiting").isNull();
            assertThat(outcome.thrown).isNull();
            rig.fake.grant(1);
            raceOver.countDown();
            join(waiter);
            assertThat(outcome.acquired).isTrue();
            assertThat(outcome.interruptedAfterwards).isTrue();
            rig.close();
            assertThat(rig.fake.available()).isZero();
        } finally {
            rig.close();
        }
    }

    @Test
    void aWaitOnAClosedPumpFailsAtOnceAndTakesNothing() throws Exception {
        var rig = new Rig(1); // the test closes it; finally, if it fails first
        try {
            rig.fake.grant(1);
            rig.close();
            var outcome = new Outcome(1);
            var raceOver = new CountDownLatch(0);
            join(startWaiter(() -> rig.pump.await(true, TimeUnit.SECONDS.toNanos(5), true), outcome, raceOver));
            assertThat(outcome.thrown).isInstanceOf(SemaphoreClosedException.class);
            assertThat(rig.fake.available()).isEqualTo(1);
        } finally {
            rig.close();
        }
    }
}
