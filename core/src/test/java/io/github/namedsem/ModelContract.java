package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Random operation sequences checked against {@link java.util.concurrent.Semaphore} as the
 * model of what is observable. Seeds are printed on failure; {@code -Dnamedsem.test.seed=N}
 * replays one.
 */
interface ModelContract extends KindFixture {

    /**
     * One thread: every result must equal the model's, op by op. Where only the acquiring
     * process may release, the model also counts what this process holds, and a release of
     * more than that must be refused without effect.
     */
    @RepeatedTest(20)
    default void sequentialRunsMatchTheModelExactly() throws Exception {
        long seed = Long.getLong("namedsem.test.seed", System.nanoTime());
        Random random = new Random(seed);
        int max = 1 + random.nextInt(6);
        int initial = random.nextInt(max + 1);
        Semaphore model = new Semaphore(initial);
        int held = 0;
        try (var sem = create(name("model"), initial, max)) {
            for (int step = 0; step < 300; step++) {
                String context = "seed " + seed + ", step " + step;
                switch (random.nextInt(5)) {
                    case 0 -> {
                        boolean got = model.tryAcquire();
                        assertThat(sem.tryAcquire()).as(context).isEqualTo(got);
                        held += got ? 1 : 0;
                    }
                    case 1 -> {
                        boolean got = model.tryAcquire();
                        assertThat(sem.tryAcquire(Duration.ofMillis(random.nextInt(2)))).as(context).isEqualTo(got);
                        held += got ? 1 : 0;
                    }
                    case 2, 3 -> {
                        int n = 1 + random.nextInt(3);
                        int before = model.availablePermits();
                        if (releaseNeedsTheAcquiringProcess() && n > held) {
                            assertThatThrownBy(() -> sem.release(n)).as(context)
                                    .isInstanceOf(IllegalStateException.class);
                        } else if (before + n > max) {
                            assertThatThrownBy(() -> sem.release(n)).as(context)
                                    .isInstanceOf(PermitLimitExceededException.class);
                        } else {
                            assertThat(sem.release(n)).as(context).isEqualTo(before);
                            model.release(n);
                            held -= Math.min(held, n);
                        }
                    }
                    default -> assertThat(sem.availablePermits()).as(context).isEqualTo(model.availablePermits());
                }
            }
            assertThat(sem.availablePermits()).isEqualTo(model.availablePermits());
        }
    }

    /**
     * Several threads: results may interleave in any order, but what is observable must stay
     * true: the count is never negative or above the maximum, and permits are conserved.
     */
    @Test
    default void concurrentRunsKeepTheModelsInvariants() throws Exception {
        long seed = Long.getLong("namedsem.test.seed", System.nanoTime());
        int max = 4;
        try (var sem = create(name("model-mt"), max)) {
            var held = new AtomicInteger();
            var violations = new ConcurrentLinkedQueue<String>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                Random random = new Random(seed + t);
                threads.add(Thread.ofPlatform().start(() -> {
                    int mine = 0;
                    try {
                        for (int step = 0; step < 2_000; step++) {
                            switch (random.nextInt(4)) {
                                case 0 -> {
                                    if (sem.tryAcquire()) {
                                        mine++;
                                        held.incrementAndGet();
                                    }
                                }
                                case 1 -> {
                                    if (sem.tryAcquire(Duration.ofMillis(1))) {
                                        mine++;
                                        held.incrementAndGet();
                                    }
                                }
                                case 2 -> {
                                    if (mine > 0) {
                                        held.decrementAndGet();
                                        mine--;
                                        sem.release();
                                    }
                                }
                                default -> {
                                    int available = sem.availablePermits();
                                    if (available < 0 || available > max) {
                                        violations.add("available " + available);
                                    }
                                }
                            }
                            if (held.get() > max) {
                                violations.add("held " + held.get());
                            }
                        }
                        while (mine-- > 0) {
                            held.decrementAndGet();
                            sem.release();
                        }
                    } catch (Exception e) {
                        violations.add(e.toString());
                    }
                }));
            }
            for (Thread t : threads) {
                t.join(60_000);
            }
            assertThat(violations).as("seed %d", seed).isEmpty();
            assertThat(sem.availablePermits()).as("permits conserved (seed %d)", seed).isEqualTo(max);
        }
    }

    /**
     * Releases racing from several threads: where the previous count is exact, each one saw a
     * different count, as {@code ReleaseSemaphore} reports; a snapshot may repeat, but stays in range.
     */
    @Test
    default void concurrentReleasesReportPreviousCountsInRange() throws Exception {
        int permits = 8;
        try (var sem = createDrained(name("prevrace"), permits)) {
            var start = new CountDownLatch(1);
            var seen = new ConcurrentLinkedQueue<Integer>();
            List<Thread> releasers = new ArrayList<>();
            for (int i = 0; i < permits; i++) {
                releasers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        seen.add(sem.release());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            start.countDown();
            for (Thread t : releasers) {
                t.join(30_000);
            }
            assertThat(seen).hasSize(permits).allSatisfy(c -> assertThat(c).isBetween(0, permits - 1));
            if (previousCountIsExact()) {
                assertThat(seen).doesNotHaveDuplicates();
            }
            assertThat(sem.availablePermits()).isEqualTo(permits);
        }
    }
}
