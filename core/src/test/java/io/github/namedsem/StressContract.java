package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * Many threads doing random acquires, releases and closes on shared and private handles. Every
 * thread must end with a result or a documented exception, the JVM must stay up, and every
 * permit must be accounted for.
 */
interface StressContract extends KindFixture {
    int STRESS_PERMITS = 3;
    int STRESS_THREADS = 12;
    long STRESS_RUN_NANOS = TimeUnit.SECONDS.toNanos(4);

    @Test
    default void randomOperationsFromManyThreadsConservePermits() throws Exception {
        String name = name("stress");
        long seed = Long.getLong("namedsem.test.seed", System.nanoTime());
        try (var owner = create(name, STRESS_PERMITS)) {
            // Shared handles that get closed under the workers' feet, then replaced.
            var shared = new AtomicReferenceArray<NamedSemaphore>(2);
            shared.set(0, open(name));
            shared.set(1, open(name));
            var held = new AtomicInteger();
            var maxHeld = new AtomicInteger();
            var unexpected = new ConcurrentLinkedQueue<Throwable>();
            var closedSeen = new AtomicInteger();
            long end = System.nanoTime() + STRESS_RUN_NANOS;

            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < STRESS_THREADS; t++) {
                Random random = new Random(seed + t);
                Thread.Builder builder = t % 3 == 0 ? Thread.ofVirtual() : Thread.ofPlatform();
                workers.add(builder.start(() -> {
                    NamedSemaphore mine = open(name);
                    int mineHeld = 0;
                    try {
                        while (System.nanoTime() < end) {
                            int op = random.nextInt(10);
                            int slot = random.nextInt(2);
                            NamedSemaphore handle = op < 5 ? mine : shared.get(slot);
                            try {
                                if (op == 9) {
                                    // Swap a shared handle for a new one, closing the old one while
                                    // other threads may be inside it.
                                    NamedSemaphore old = shared.getAndSet(slot, open(name));
                                    old.close();
                                    continue;
                                }
                                if (op == 8 && mineHeld == 0) {
                                    mine.close();
                                    mine = open(name);
                                    continue;
                                }
                                boolean got = switch (random.nextInt(3)) {
                                    case 0 -> handle.tryAcquire();
                                    case 1 -> handle.tryAcquire(Duration.ofMillis(random.nextInt(3)));
                                    default -> handle.tryAcquire(Duration.ofMillis(20));
                                };
                                if (got) {
                                    mineHeld++;
                                    int now = held.incrementAndGet();
                                    maxHeld.accumulateAndGet(now, Math::max);
                                    if (random.nextBoolean()) {
                                        Thread.onSpinWait();
                                    }
                                    held.decrementAndGet();
                                    mine.release(); // release through a handle this thread owns
                                    mineHeld--;
                                }
                            } catch (SemaphoreClosedException e) {
                                closedSeen.incrementAndGet(); // a shared handle was swapped: documented
                            }
                        }
                    } catch (Throwable t2) {
                        unexpected.add(t2);
                    } finally {
                        mine.close();
                    }
                }));
            }
            for (Thread w : workers) {
                w.join(TimeUnit.SECONDS.toMillis(60));
                assertThat(w.isAlive()).as("worker finished").isFalse();
            }
            shared.get(0).close();
            shared.get(1).close();

            assertThat(unexpected).as("seed %d", seed).isEmpty();
            assertThat(maxHeld.get()).as("never more holders than permits").isLessThanOrEqualTo(STRESS_PERMITS);
            assertThat(owner.availablePermits()).as("all permits back (seed %d)", seed).isEqualTo(STRESS_PERMITS);
        }
    }
}
