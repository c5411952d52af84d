package io.github.namedsem.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.PermitLostException;
import io.github.namedsem.PermitState;
import io.github.namedsem.SemaphoreOptions;
import io.github.namedsem.SemaphoreUnavailableException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/** A holder cut off from ZooKeeper, and ZooKeeper going away and coming back. */
class PartitionTest {

    @Test
    void aPartitionedHolderIsSuspectBeforeAnyoneElseGetsItsPermitThenLost() throws Exception {
        String name = ZkServers.uniqueName("partition");
        try (var server = ZkServers.single();
             var proxy = new TcpProxy(server.getPort());
             var cut = ZooKeeperCluster.connect(proxy.connectString(), Duration.ofSeconds(3));
             var direct = ZooKeeperCluster.connect(server.getConnectString(), Duration.ofSeconds(3));
             var holderSem = NamedSemaphore.openOrCreate(name, 1, 1, SemaphoreOptions.defaults().cluster(cut));
             var otherSem = NamedSemaphore.openOrCreate(name, 1, 1, SemaphoreOptions.defaults().cluster(direct))) {
            var permit = holderSem.permit();
            AtomicLong suspectAt = new AtomicLong();
            AtomicLong lostAt = new AtomicLong();
            var lost = new CountDownLatch(1);
            permit.onLost(() -> {
                lostAt.set(System.nanoTime());
                lost.countDown();
            });
            Thread.ofPlatform().daemon().start(() -> {
                while (permit.state() == PermitState.VALID) {
                    Thread.onSpinWait();
                }
                suspectAt.set(System.nanoTime());
            });
            var granted = CompletableFuture.supplyAsync(() -> {
                try (var p = otherSem.permit(Duration.ofSeconds(60))) {
                    return new long[] {System.nanoTime(), p.token()};
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            ZkServers.awaitQueued(direct, name);
            long cutAt = System.nanoTime();
            proxy.partition();

            long[] grant = granted.get(60, TimeUnit.SECONDS);
            assertThat(lost.await(30, TimeUnit.SECONDS)).as("the holder learns it lost the permit").isTrue();
            System.out.printf("partition: SUSPECT after %d ms, other holder granted after %d ms, LOST after %d ms%n",
                    (suspectAt.get() - cutAt) / 1_000_000, (grant[0] - cutAt) / 1_000_000,
                    (lostAt.get() - cutAt) / 1_000_000);
            assertThat(suspectAt.get()).as("SUSPECT was reported").isNotZero();
            assertThat(suspectAt.get() - grant[0]).as("SUSPECT before anyone else is granted").isNegative();
            assertThat(permit.state()).isEqualTo(PermitState.LOST);
            assertThat(grant[1]).isGreaterThan(permit.token());
            assertThatThrownBy(permit::checkValid).isInstanceOf(PermitLostException.class);
            assertThatThrownBy(permit::close).isInstanceOf(PermitLostException.class)
                    .hasMessageContaining("session");
            NamedSemaphore.unlink(name, SemaphoreOptions.defaults().cluster(direct));
        }
    }

    @Test
    void tryAcquireThrowsWhileZooKeeperIsDownAndAHeldPermitIsValidAgainAfterwards() throws Exception {
        String name = ZkServers.uniqueName("down");
        try (TestingServer server = ZkServers.single();
             var zk = ZooKeeperCluster.connect(server.getConnectString(), Duration.ofSeconds(9));
             var sem = NamedSemaphore.openOrCreate(name, 2, 2, SemaphoreOptions.defaults().cluster(zk))) {
            var permit = sem.permit();
            server.stop();
            long start = System.nanoTime();
            assertThatThrownBy(sem::tryAcquire).isInstanceOf(SemaphoreUnavailableException.class)
                    .hasMessageContaining("did not answer").hasMessageContaining(name);
            long ms = (System.nanoTime() - start) / 1_000_000;
            System.out.println("tryAcquire reported ZooKeeper unreachable after " + ms + " ms (session 9000 ms)");
            assertThat(permit.state()).isEqualTo(PermitState.SUSPECT);
            server.restart();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (permit.state() != PermitState.VALID && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(permit.state()).isEqualTo(PermitState.VALID);
            assertThat(sem.availablePermits()).isEqualTo(1);
            permit.close();
            assertThat(sem.availablePermits()).isEqualTo(2);
            NamedSemaphore.unlink(name, SemaphoreOptions.defaults().cluster(zk));
        }
    }

    @Test
    void aCreateWhoseReplyWasLostIsFoundToBeOursAndLeavesNoOrphan() throws Exception {
        String name = ZkServers.uniqueName("lostreply");
        try (var server = ZkServers.single();
             var proxy = new TcpProxy(server.getPort());
             var flaky = ZooKeeperCluster.connect(proxy.connectString(), Duration.ofSeconds(9));
             var direct = ZooKeeperCluster.connect(server.getConnectString(), Duration.ofSeconds(9));
             var sem = NamedSemaphore.openOrCreate(name, 2, 2, SemaphoreOptions.defaults().cluster(flaky));
             var observer = NamedSemaphore.openOrCreate(name, 2, 2, SemaphoreOptions.defaults().cluster(direct))) {
            long session = flaky.curator().getZookeeperClient().getZooKeeper().getSessionId();
            // tryAcquire sends two requests: the read of the slots, then the create of one.
            proxy.loseTheReplyTo(2);
            assertThat(sem.tryAcquire()).as("the slot created before the cut is recognised as ours").isTrue();
            assertThat(flaky.curator().getZookeeperClient().getZooKeeper().getSessionId()).isEqualTo(session);
            assertThat(observer.availablePermits()).isEqualTo(1);
            sem.release();
            assertThat(observer.availablePermits()).as("no slot is left taken by nobody").isEqualTo(2);
            NamedSemaphore.unlink(name, SemaphoreOptions.defaults().cluster(direct));
        }
    }
}
