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
 * How platform threads wait, on its own over an in-memory native semaphore: a few leaders per
 * handle in the native wait, the rest parked behind them, and every permit either with a caller
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

    private static final int LEADERS = DirectWait.MOST_IN_THE_OS;

    /** Starts as many untimed waiters as lead, so that the next ones queue behind them. */
    private static List<Future<Boolean>> fillTheLeaders(Rig rig) throws InterruptedException {
        List<Future<Boolean>> leaders = new ArrayList<>();
        for (int i = 0; i < LEADERS; i++) {
            leaders.add(rig.waiter(false, 0));
        }
        rig.awaitQueued(LEADERS);
        return leaders;
    }

    @Test
    void manyWaitingThreadsMakeAFewNativeWaitsAtATimeAndAllGetTheirPermits() throws Exception {
        try (Rig rig = new Rig()) {
            List<Future<Boolean>> waiters = new ArrayList<>();
            for (int i = 0; i < LEADERS + 40; i++) {
                waiters.add(rig.waiter(false, 0));
            }
            rig.awaitQueued(LEADERS + 40);
            Thread.sleep(200); // several slices of the leaders

            assertThat(rig.fake.mostInAwaitAtOnce()).as("threads in the native wait at once").isEqualTo(LEADERS);
            rig.fake.grant(LEADERS + 40);
            for (Future<Boolean> w : waiters) {
                assertThat(w.get(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(rig.fake.available()).isZero();
        }
    }

    @Test
    void whenALeaderTimesOutTheFirstQueuedThreadLeadsAndGetsTheNextPermit() throws Exception {
        try (Rig rig = new Rig()) {
            List<Future<Boolean>> leaders = new ArrayList<>();
            for (int i = 0; i < LEADERS; i++) {
                leaders.add(rig.waiter(true, i == 0 ? 150 : 60_000));
            }
            rig.awaitQueued(LEADERS);
            Future<Boolean> follower = rig.waiter(false, 0);
            rig.awaitQueued(LEADERS + 1);

            assertThat(leaders.get(0).get(20, TimeUnit.SECONDS)).isFalse();
            Thread.sleep(100); // the follower, now leading, is in the native wait
            assertThat(rig.fake.mostInAwaitAtOnce()).isEqualTo(LEADERS);
            rig.fake.grant(LEADERS);
            assertThat(follower.get(20, TimeUnit.SECONDS)).isTrue();
            for (Future<Boolean> leader : leaders.subList(1, LEADERS)) {
                assertThat(leader.get(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(rig.fake.available()).isZero();
        }
    }

    @Test
    void aQueuedThreadThatIsInterruptedLeavesAtOnceAndTheOthersStillWait() throws Exception {
        try (Rig rig = new Rig()) {
            List<Future<Boolean>> leaders = fillTheLeaders(rig);
            List<Thread> before = List.copyOf(Thread.getAllStackTraces().keySet());
            Future<Boolean> follower = rig.waiter(false, 0);
            rig.awaitQueued(LEADERS + 1);
            Thread followerThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.getName().startsWith("pool-"))
                    .findFirst().orElseThrow();

            long interruptedAt = System.nanoTime();
            followerThread.interrupt();
            assertThatThrownBy(() -> follower.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(InterruptedException.class);
            // Parked in Java, not in a native slice: generous bound, but below a slice's 20 ms
            // would be flaky on a loaded machine, so 100 ms as the contract says.
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - interruptedAt)).isLessThan(100);
            assertThat(leaders).noneMatch(Future::isDone);
            rig.fake.grant(LEADERS);
            for (Future<Boolean> leader : leaders) {
                assertThat(leader.get(20, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void aFollowerWhoseTimeRunsOutTakesAPermitThatIsFreeByThen() throws Exception {
        try (Rig rig = new Rig()) {
            List<Future<Boolean>> leaders = fillTheLeaders(rig);
            Future<Boolean> follower = rig.waiter(true, 300);
            rig.awaitQueued(LEADERS + 1);
            // One permit more than the leaders take: the follower takes it while leading, or on
            // its way out when its time runs out. Either way it returns true.
            rig.fake.grant(LEADERS + 1);
            for (Future<Boolean> leader : leaders) {
                assertThat(leader.get(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(follower.get(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void closeEndsEveryQueuedWaitWithTheClosedExceptionAndTakesNothing() throws Exception {
        Rig rig = new Rig();
        List<Future<Boolean>> waiters = new ArrayList<>();
        for (int i = 0; i < LEADERS + 10; i++) {
            waiters.add(rig.waiter(i % 2 == 0, 60_000));
        }
        rig.awaitQueued(LEADERS + 10);
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
                int threads = LEADERS + 12;
                List<Future<Boolean>> waiters = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    waiters.add(rig.waiter(true, random.nextInt(1, 80)));
                }
                int granted = 0;
                for (int g = 0; g < LEADERS + 8; g++) {
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
