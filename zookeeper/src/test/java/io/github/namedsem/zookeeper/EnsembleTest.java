package io.github.namedsem.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.Permit;
import io.github.namedsem.PermitState;
import io.github.namedsem.SemaphoreOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A three-server ensemble whose leader is killed while clients contend. */
class EnsembleTest {
    private static TestingCluster ensemble;

    @BeforeAll
    static void start() throws Exception {
        ensemble = ZkServers.ensemble(3);
    }

    @AfterAll
    static void stop() throws Exception {
        ensemble.close();
    }

    private static InstanceSpec leader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (InstanceSpec spec : ensemble.getInstances()) {
                if ("leader".equals(ZkServers.mode(spec))) {
                    return spec;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no server of the ensemble reports itself leader");
    }

    @Test
    void killingTheLeaderMidRunViolatesNothingAndHeldPermitsBecomeValidAgain() throws Exception {
        String name = ZkServers.uniqueName("leader");
        Duration session = Duration.ofSeconds(6);
        List<ZooKeeperCluster> sessions = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger grants = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        try {
            for (int i = 0; i < 3; i++) {
                sessions.add(ZooKeeperCluster.connect(ensemble.getConnectString(), session));
            }
            // One permit held across the election by the first session, two contended for.
            var holderSem = NamedSemaphore.openOrCreate(name, 3, 3, SemaphoreOptions.defaults().cluster(sessions.get(0)));
            Permit heldAcross = holderSem.permit();
            List<PermitState> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread watcher = Thread.ofVirtual().start(() -> {
                PermitState last = null;
                while (!stop.get()) {
                    PermitState now = heldAcross.state();
                    if (now != last) {
                        seen.add(now);
                        last = now;
                    }
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            for (int i = 1; i < 3; i++) {
                var sem = NamedSemaphore.openOrCreate(name, 3, 3, SemaphoreOptions.defaults().cluster(sessions.get(i)));
                for (int t = 0; t < 2; t++) {
                    workers.add(Thread.ofPlatform().start(() -> {
                        while (!stop.get()) {
                            try (var _ = sem.permit(Duration.ofSeconds(30))) {
                                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                                Thread.sleep(10);
                                inside.decrementAndGet();
                                grants.incrementAndGet();
                            } catch (io.github.namedsem.SemaphoreUnavailableException e) {
                                // the election: nobody answered in time; try again
                            } catch (Throwable e) {
                                failures.add(e);
                                return;
                            }
                        }
                    }));
                }
            }
            Thread.sleep(1000);
            int beforeKill = grants.get();
            InstanceSpec leader = leader();
            assertThat(ensemble.killServer(leader)).isTrue();
            long killedAt = System.nanoTime();
            // Work goes on with the two remaining servers.
            while (grants.get() < beforeKill + 20) {
                assertThat(System.nanoTime() - killedAt).as("grants resume after the election")
                        .isLessThan(TimeUnit.SECONDS.toNanos(60));
                Thread.sleep(50);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (heldAcross.state() != PermitState.VALID && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            stop.set(true);
            for (Thread t : workers) {
                assertThat(t.join(Duration.ofSeconds(60))).isTrue();
            }
            watcher.join();
            System.out.println("leader " + leader.getServerId() + " killed; grants " + beforeKill + " before, "
                    + grants.get() + " in all; held permit went through " + seen);
            assertThat(failures).isEmpty();
            assertThat(most.get()).isEqualTo(2);
            assertThat(heldAcross.state()).isEqualTo(PermitState.VALID);
            heldAcross.close(); // does not throw: it was never lost
            assertThat(holderSem.availablePermits()).isEqualTo(3);
            NamedSemaphore.unlink(name, SemaphoreOptions.defaults().cluster(sessions.get(0)));
            holderSem.close();
        } finally {
            stop.set(true);
            for (int i = sessions.size() - 1; i >= 0; i--) {
                sessions.get(i).close();
            }
        }
    }

    /** The example, as written, against the ensemble with the chroot /apps. */
    @Test
    void theExampleWorksAsWritten() throws Exception {
        String servers = ensemble.getConnectString();
        var job = new Job();
        var store = new FencedStore();
        String result = "trained weights";
        try (var zk = ZooKeeperCluster.connect(servers + "/apps", Duration.ofSeconds(10));
             var sem = NamedSemaphore.openOrCreate("gpu", 2, 2, SemaphoreOptions.defaults().cluster(zk));
             var permit = sem.permit(Duration.ofMinutes(5))) {
            permit.onLost(job::cancel);
            store.write(result, permit.token());   // a fencing token: the store refuses older ones
        }
        assertThat(store.lastToken).isPositive();
        assertThat(job.cancelled).isFalse();

        // A second holder gets a newer token; a write with the first one is refused.
        try (var zk = ZooKeeperCluster.connect(servers + "/apps", Duration.ofSeconds(10));
             var sem = NamedSemaphore.openOrCreate("gpu", 2, 2, SemaphoreOptions.defaults().cluster(zk));
             var permit = sem.permit(Duration.ofMinutes(5))) {
            long first = store.lastToken;
            store.write(result, permit.token());
            assertThat(permit.token()).isGreaterThan(first);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.write("stale", first))
                    .isInstanceOf(IllegalStateException.class);
            assertThat(zk.negotiatedSessionTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(sem.osName()).isEqualTo("zookeeper:/apps/namedsem/v1/gpu");
        }
        try (var zk = ZooKeeperCluster.connect(servers, Duration.ofSeconds(10))) {
            assertThat(zk.curator().getChildren().forPath("/apps/namedsem/v1/gpu/slots")).isEmpty();
            zk.curator().delete().deletingChildrenIfNeeded().forPath("/apps");
        }
    }

    static final class Job {
        volatile boolean cancelled;

        void cancel() {
            cancelled = true;
        }
    }

    /** A resource that keeps the newest token it has seen and refuses writes with older ones. */
    static final class FencedStore {
        long lastToken;
        String value;

        synchronized void write(String value, long token) {
            if (token < lastToken) {
                throw new IllegalStateException("token " + token + " is older than " + lastToken);
            }
            lastToken = token;
            this.value = value;
        }
    }
}
