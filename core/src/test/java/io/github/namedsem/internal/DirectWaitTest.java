package io.github.namedsem.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.namedsem.SemaphoreClosedException;
import io.github.namedsem.SemaphoreKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How platform threads wait, on its own over an in-memory native semaphore: one leader per
 * handle in the native wait, the rest parked behind it, and every permit either with a caller
 * that knows it has it or still in the semaphore.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DirectWaitTest {

    private static final class Rig implements AutoCloseable {
        final FakeNativeSemaphore fake = new FakeNativeSemaphore(0, 1_000);
        final HandleGuard guard = new HandleGuard(fake::close);
        final DirectWait wait = new DirectWait(fake, guard, Rig::closedError);
        final ExecutorService threads = Executors.newCachedThreadPool(); // platform threads

        static SemaphoreClosedException closedError() {
            return new SemaphoreClosedException("test handle closed", "fake", "fake", SemaphoreKind.STANDARD, 0, null);
        }

        Future<Boolean> waiter(boolean timed, long millis) {
            Callable<Boolean> call = () -> wait.await(1, timed, TimeUnit.MILLISECONDS.toNanos(millis), true);
            return threads.submit(call);
        }

        /** Until {@code count} threads of this rig are parked or in the fake's wait. */
        void awaitQueued(int count) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (waitingThreads() < count) {
                assertThat(System.nanoTime()).as("%d threads queue", count).isLessThan(deadline);
                Thread.sleep(5);
            }
        }

        private long waitingThreads() {
            return Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("pool-"))
                    .filter(t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)
                    .filter(t -> List.of(t.getStackTrace()).stream().anyMatch(f -> f.getClassName().equals(DirectWait.class.getName())))
                    .count();
        }

        @Override
        public void close() {
            if (guard.beginClose()) {
                wait.close();
                guard.finishClose();
            }
            threads.shutdown(); // closing ended every wait
        }
    }

    @Test
    void manyWaitingThreadsMakeOneNativeWaitAtATimeAndAllGetTheirPermits() throws Exception {
        try (Rig rig = new Rig()) {
            List<Future<Boolean>> waiters = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                waiters.add(rig.waiter(false, 0));
            }
            rig.awaitQueued(40);
            Thread.sleep(200); // several slices of the leader

            assertThat(rig.fake.mostInAwaitAtOnce()).as("threads in the native wait at once").isEqualTo(1);
            rig.fake.grant(40);
            for (Future<Boolean> w : waiters) {
                assertThat(w.get(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(rig.fake.available()).isZero();
        }
    }

    @Test
    void whenTheLeaderTimesOutTheNextThreadLeadsAndGetsTheNextPermit() throws Exception {
        try (Rig rig = new Rig()) {
            Future<Boolean> leader = rig.waiter(true, 150);
            rig.awaitQueued(1);
            Future<Boolean> follower = rig.waiter(false, 0);

            assertThat(leader.get(20, TimeUnit.SECONDS)).isFalse();
            rig.fake.grant(1);
            assertThat(follower.get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(rig.fake.available()).isZero();
        }
    }

    @Test
    void aQueuedThreadThatIsInterruptedLeavesAtOnceAndTheOthersStillWait() throws Exception {
        try (Rig rig = new Rig()) {
            Future<Boolean> leader = rig.waiter(false, 0);
            rig.awaitQueued(1);
            List<Thread> before = List.copyOf(Thread.getAllStackTraces().keySet());
            Future<Boolean> follower = rig.waiter(false, 0);
            rig.awaitQueued(2);
            Thread followerThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.getName().startsWith("pool-"))
                    .findFirst().orElseThrow();

            followerThread.interrupt();
            assertThatThrownBy(() -> follower.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(InterruptedException.class);
            assertThat(leader).isNotDone();
            rig.fake.grant(1);
            assertThat(leader.get(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aFollowerWhoseTimeRunsOutTakesAPermitThatIsFreeByThen() throws Exception {
        try (Rig rig = new Rig()) {
            Future<Boolean> leader = rig.waiter(false, 0);
            rig.awaitQueued(1);
            Future<Boolean> follower = rig.waiter(true, 300);
            rig.awaitQueued(2);
            // Two permits: the leader takes one; the follower may take the other while leading,
            // or on its way out when its time runs out. Either way it returns true.
            rig.fake.grant(2);
            assertThat(leader.get(20, TimeUnit.SECONDS)).isTrue();
            assertThat(follower.get(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void closeEndsEveryQueuedWaitWithTheClosedExceptionAndTakesNothing() throws Exception {
        Rig rig = new Rig();
        List<Future<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            waiters.add(rig.waiter(i % 2 == 0, 60_000));
        }
        rig.awaitQueued(10);
        rig.close();
        for (Future<Boolean> w : waiters) {
            assertThatThrownBy(() -> w.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(SemaphoreClosedException.class);
        }
        assertThat(rig.fake.isClosed()).isTrue();
    }

    /**
     * Threads with random timeouts and interrupts against permits granted at random moments:
     * every permit granted is either held by a thread that returned true or still free.
     */
    @Test
    void everyPermitEndsWithACallerThatKnowsOrInTheSemaphore() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int round = 0; round < 20; round++) {
            try (Rig rig = new Rig()) {
                int threads = 12;
                List<Future<Boolean>> waiters = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    waiters.add(rig.waiter(true, random.nextInt(1, 80)));
                }
                int granted = 0;
                for (int g = 0; g < 8; g++) {
                    Thread.sleep(random.nextInt(0, 15));
                    rig.fake.grant(1);
                    granted++;
                }
                int held = 0;
                for (Future<Boolean> w : waiters) {
                    if (w.get(20, TimeUnit.SECONDS)) {
                        held++;
                    }
                }
                assertThat(held + rig.fake.available()).as("round %d", round).isEqualTo(granted);
            }
        }
    }
}
