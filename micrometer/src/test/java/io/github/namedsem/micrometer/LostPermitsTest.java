package io.github.namedsem.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.namedsem.ClusterPermit;
import io.github.namedsem.ClusterSemaphore;
import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.Permit;
import io.github.namedsem.PermitState;
import io.github.namedsem.SemaphoreCluster;
import io.github.namedsem.SemaphoreOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Lost permits are counted. Only the distributed kind loses permits, through the core's
 * provider interface; this test implements that interface in memory (a provider of our own
 * API, not a stand-in for ZooKeeper, whose behaviour the zookeeper module tests against real
 * servers) so that it can lose a permit on demand.
 */
class LostPermitsTest {

    @Test
    void aPermitLostWhileHeldIsCountedOnceAndReleasedPermitsAreNot() throws Exception {
        var cluster = new InMemoryCluster();
        var registry = new SimpleMeterRegistry();
        try (var sem = NamedSemaphore.openOrCreate("gpu", 2, 2, SemaphoreOptions.defaults().cluster(cluster));
             var metered = new InstrumentedSemaphore(sem)) {
            metered.bindTo(registry);
            try (Permit kept = metered.permit()) {
                assertThat(kept.state()).isEqualTo(PermitState.VALID);
            }
            Permit doomed = metered.permit(Duration.ofSeconds(1));
            cluster.loseEverything();
            assertThat(doomed.state()).isEqualTo(PermitState.LOST);
            assertThat(registry.get(InstrumentedSemaphore.LOST).counter().count()).isEqualTo(1.0);
            assertThat(registry.get(InstrumentedSemaphore.LOST).counter().getId().getTag("kind")).isEqualTo("distributed");
        }
    }

    /** One semaphore per name, counted by a j.u.c.Semaphore; permits can be lost on demand. */
    private static final class InMemoryCluster implements SemaphoreCluster {
        private final List<InMemoryPermit> held = new CopyOnWriteArrayList<>();
        private Semaphore counts;
        private int max;

        void loseEverything() {
            held.forEach(InMemoryPermit::lose);
        }

        @Override
        public synchronized ClusterSemaphore create(String name, int initialPermits, int maxPermits, boolean openIfExists) {
            boolean created = counts == null;
            if (created) {
                counts = new Semaphore(initialPermits);
                max = maxPermits;
            }
            return new InMemorySemaphore(name, created);
        }

        @Override
        public synchronized ClusterSemaphore open(String name) {
            return new InMemorySemaphore(name, false);
        }

        @Override
        public boolean unlink(String name) {
            return false;
        }

        @Override
        public int maxPermitsLimit() {
            return 1000;
        }

        private final class InMemorySemaphore implements ClusterSemaphore {
            private final String name;
            private final boolean created;

            InMemorySemaphore(String name, boolean created) {
                this.name = name;
                this.created = created;
            }

            @Override
            public ClusterPermit tryAcquire() {
                return counts.tryAcquire() ? take() : null;
            }

            @Override
            public ClusterPermit acquire(boolean timed, long nanos, boolean interruptible) throws InterruptedException {
                boolean got = timed ? counts.tryAcquire(nanos, TimeUnit.NANOSECONDS) : acquireUntimed();
                return got ? take() : null;
            }

            private boolean acquireUntimed() throws InterruptedException {
                counts.acquire();
                return true;
            }

            private ClusterPermit take() {
                var permit = new InMemoryPermit(held.size());
                held.add(permit);
                return permit;
            }

            @Override
            public int availablePermits() {
                return counts.availablePermits();
            }

            @Override
            public int maxPermits() {
                return max;
            }

            @Override
            public boolean created() {
                return created;
            }

            @Override
            public String location() {
                return "memory:" + name;
            }

            @Override
            public void close() {}
        }

        private final class InMemoryPermit implements ClusterPermit {
            private final int slot;
            private final List<Runnable> onLost = new CopyOnWriteArrayList<>();
            private volatile PermitState state = PermitState.VALID;

            InMemoryPermit(int slot) {
                this.slot = slot;
            }

            void lose() {
                state = PermitState.LOST;
                onLost.forEach(Runnable::run);
            }

            @Override
            public PermitState state() {
                return state;
            }

            @Override
            public void onLost(Runnable action) {
                if (state == PermitState.LOST) {
                    action.run();
                } else {
                    onLost.add(action);
                }
            }

            @Override
            public long token() {
                return slot;
            }

            @Override
            public int slot() {
                return slot;
            }

            @Override
            public void release() {
                held.remove(this);
                counts.release();
            }
        }
    }
}
