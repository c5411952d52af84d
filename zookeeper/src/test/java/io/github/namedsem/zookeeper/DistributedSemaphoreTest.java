package io.github.namedsem.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.namedsem.NamedSemaphore;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.Permit;
import io.github.namedsem.PermitLostException;
import io.github.namedsem.PermitState;
import io.github.namedsem.SemaphoreClosedException;
import io.github.namedsem.SemaphoreExistsException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreOptions;
import io.github.namedsem.SemaphoreRemovedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The distributed kind against one real ZooKeeper server in this JVM. Each {@link
 * ZooKeeperCluster} is its own session, so two of them behave as two machines.
 */
class DistributedSemaphoreTest {
    private static final Duration SESSION = Duration.ofSeconds(3);
    private static TestingServer server;
    private static CuratorFramework inspector; // reads the znodes as an operator would

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<String> names = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = ZkServers.single();
        inspector = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        inspector.start();
        inspector.blockUntilConnected();
    }

    @AfterAll
    static void stopServer() throws Exception {
        inspector.close();
        server.close();
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        try (var zk = ZooKeeperCluster.connect(server.getConnectString(), SESSION)) {
            for (String name : names) {
                NamedSemaphore.unlink(name, SemaphoreOptions.defaults().cluster(zk));
            }
        }
    }

    private ZooKeeperCluster session() {
        var zk = ZooKeeperCluster.connect(server.getConnectString(), SESSION);
        toClose.add(zk);
        return zk;
    }

    private static SemaphoreOptions on(ZooKeeperCluster zk) {
        return SemaphoreOptions.defaults().cluster(zk);
    }

    private String name(String hint) {
        String name = ZkServers.uniqueName(hint);
        names.add(name);
        return name;
    }

    private NamedSemaphore create(ZooKeeperCluster zk, String name, int max) {
        var sem = NamedSemaphore.openOrCreate(name, max, max, on(zk));
        toClose.add(sem);
        return sem;
    }

    private static List<String> children(String path) throws Exception {
        return inspector.getChildren().forPath(path);
    }

    private static String znode(String name) {
        return ZooKeeperCluster.ROOT + "/" + ZnodeNames.encode(name);
    }

    @Test
    void countsAcquiresAndReleasesLikeASemaphore() throws Exception {
        var zk = session();
        String name = name("basic");
        var sem = create(zk, name, 2);
        assertThat(sem.created()).isTrue();
        assertThat(sem.kind()).isEqualTo(SemaphoreKind.DISTRIBUTED);
        assertThat(sem.maxPermits()).hasValue(2);
        assertThat(sem.osName()).isEqualTo("zookeeper:" + znode(name));
        sem.acquire();
        assertThat(sem.tryAcquire()).isTrue();
        assertThat(sem.tryAcquire()).isFalse();
        assertThat(sem.availablePermits()).isZero();
        assertThat(sem.release()).isZero();
        assertThat(sem.availablePermits()).isEqualTo(1);
        assertThat(sem.release()).isEqualTo(1);
        assertThat(children(znode(name) + "/slots")).isEmpty();

        var other = create(session(), name, 2);
        assertThat(other.created()).isFalse();
        assertThat(other.maxPermits()).hasValue(2);
    }

    @Test
    void anInterruptStatusSetBeforeANonBlockingCallIsKeptAndDoesNotFailIt() throws Exception {
        var sem = create(session(), name("flag"), 1);
        Thread.currentThread().interrupt();
        try {
            assertThat(sem.tryAcquire()).isTrue();
            assertThat(sem.availablePermits()).isZero();
            assertThat(sem.release()).isZero();
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThatThrownBy(sem::acquire).isInstanceOf(InterruptedException.class);
            assertThat(Thread.currentThread().isInterrupted()).isFalse();
        } finally {
            Thread.interrupted();
        }
        assertThat(sem.availablePermits()).isEqualTo(1);
    }

    @Test
    void permitsHaveDistinctSlotsAndTokensThatOnlyGrow() throws Exception {
        var sem = create(session(), name("tokens"), 3);
        long last = 0;
        for (int round = 0; round < 3; round++) {
            List<Permit> held = new ArrayList<>();
            Set<Integer> slots = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Permit p = sem.permit();
                held.add(p);
                assertThat(p.state()).isEqualTo(PermitState.VALID);
                assertThat(p.token()).isGreaterThan(last);
                last = p.token();
                slots.add(p.slot());
            }
            assertThat(slots).containsExactlyInAnyOrder(0, 1, 2);
            for (Permit p : held) {
                p.close();
            }
        }
        assertThat(sem.availablePermits()).isEqualTo(3);
    }

    @Test
    void theMaximumIsStoredOnceAndEveryHandleKeepsToIt() throws Exception {
        String name = name("maximum");
        var first = create(session(), name, 3);
        var holder = first.permit();
        var second = first.permit();
        var third = first.permit();

        // Curator's V2 recipe lets a client that says 5 take 2 more here; namedsem refuses it.
        var other = session();
        assertThatThrownBy(() -> NamedSemaphore.openOrCreate(name, 5, 5, on(other)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("created with maximum 3").hasMessageContaining("Nothing was changed");
        try (var opened = NamedSemaphore.open(name, on(other))) {
            assertThat(opened.maxPermits()).hasValue(3);
            assertThat(opened.tryAcquire()).isFalse();
        }
        assertThat(inspector.getData().forPath(znode(name))).asString().contains("\"max\":3");
        assertThat(children(znode(name) + "/slots")).hasSize(3);
        assertThatThrownBy(() -> NamedSemaphore.create(name, 3, on(other))).isInstanceOf(SemaphoreExistsException.class);
        assertThatThrownBy(() -> NamedSemaphore.open(name("missing"), on(other)))
                .isInstanceOf(NoSuchSemaphoreException.class).hasMessageContaining("create it");
        assertThatThrownBy(() -> NamedSemaphore.create(name("partial"), 1, 2, on(other)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("initialPermits = maxPermits");
        holder.close();
        second.close();
        third.close();
    }

    @Test
    void releaseGivesBackOnlyThisHandlesOwnPermits() throws Exception {
        String name = name("own");
        var mine = create(session(), name, 2);
        var theirs = create(session(), name, 2);
        mine.acquire();
        assertThatThrownBy(theirs::release).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds 0").hasMessageContaining("Nothing was released");
        assertThatThrownBy(() -> mine.release(2)).isInstanceOf(IllegalStateException.class);
        assertThat(mine.availablePermits()).isEqualTo(1);
        try (var permit = mine.permit()) {
            // a Permit's slot is the Permit's: release() does not take it
            assertThatThrownBy(() -> mine.release(2)).isInstanceOf(IllegalStateException.class);
            assertThat(permit.state()).isEqualTo(PermitState.VALID);
        }
        mine.release();
        assertThat(mine.availablePermits()).isEqualTo(2);
    }

    @Test
    void aTimedWaitEndsOnTimeAndLeavesNoTrace() throws Exception {
        String name = name("timeout");
        var holder = create(session(), name, 1);
        holder.acquire();
        var waiter = create(session(), name, 1);
        long start = System.nanoTime();
        assertThat(waiter.tryAcquire(Duration.ofMillis(400))).isFalse();
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsedMs).isBetween(400L, 10_000L);
        assertThatThrownBy(() -> waiter.permit(Duration.ofMillis(100))).isInstanceOf(TimeoutException.class)
                .hasMessageContaining("0 free now");
        assertThat(waiter.tryAcquire(Duration.ZERO)).isFalse();
        assertThat(children(znode(name) + "/queue")).isEmpty();
        assertThat(children(znode(name) + "/slots")).hasSize(1);
    }

    @Test
    void anInterruptEndsTheWaitAndRemovesTheQueueEntry() throws Exception {
        String name = name("interrupt");
        var holder = create(session(), name, 1);
        holder.acquire();
        var waiter = create(session(), name, 1);
        var outcome = new CompletableFuture<Throwable>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                waiter.acquire();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        awaitChildren(znode(name) + "/queue", 1);
        t.interrupt();
        assertThat(outcome.get(20, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(children(znode(name) + "/queue")).isEmpty();
        holder.release();
        assertThat(waiter.availablePermits()).isEqualTo(1);
    }

    @Test
    void blockingWaitersAreServedInTheOrderTheyQueued() throws Exception {
        String name = name("order");
        var holder = create(session(), name, 1);
        holder.acquire();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            var sem = create(session(), name, 1);
            int id = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (var _ = sem.permit()) {
                    order.add(id);
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
            awaitChildren(znode(name) + "/queue", i + 1);
        }
        holder.release();
        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(order).containsExactly(0, 1, 2);
        assertThat(children(znode(name) + "/queue")).isEmpty();
    }

    @Test
    void closingAHandleEndsItsWaitsAndGivesBackItsPermits() throws Exception {
        String name = name("close");
        var observer = create(session(), name, 2);
        var sem = NamedSemaphore.openOrCreate(name, 2, 2, on(session()));
        Permit permit = sem.permit();
        sem.acquire();
        var outcome = new CompletableFuture<Throwable>();
        Thread.ofPlatform().start(() -> {
            try {
                sem.acquire();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        awaitChildren(znode(name) + "/queue", 1);
        sem.close();
        assertThat(outcome.get(20, TimeUnit.SECONDS)).isInstanceOf(SemaphoreClosedException.class);
        assertThat(observer.availablePermits()).isEqualTo(2);
        assertThat(children(znode(name) + "/queue")).isEmpty();
        assertThatThrownBy(permit::close).isInstanceOf(SemaphoreClosedException.class);
        assertThatThrownBy(sem::tryAcquire).isInstanceOf(SemaphoreClosedException.class);
    }

    @Test
    void closingTheClusterIsLikeTheProcessExiting() throws Exception {
        String name = name("exit");
        var observer = create(session(), name, 2);
        var zk = ZooKeeperCluster.connect(server.getConnectString(), SESSION);
        var sem = NamedSemaphore.openOrCreate(name, 2, 2, on(zk));
        sem.acquire();
        sem.permit();
        assertThat(observer.availablePermits()).isZero();
        zk.close();
        assertThat(observer.availablePermits()).isEqualTo(2);
        assertThatThrownBy(sem::tryAcquire).isInstanceOf(SemaphoreClosedException.class);
    }

    @Test
    void aBorrowedCuratorClientStaysOpen() throws Exception {
        String name = name("borrowed");
        try (CuratorFramework client = CuratorFrameworkFactory.builder().connectString(server.getConnectString())
                .namespace("apps/team").sessionTimeoutMs(3000).retryPolicy(new RetryOneTime(100)).build()) {
            client.start();
            var zk = ZooKeeperCluster.using(client);
            try (var sem = NamedSemaphore.openOrCreate(name, 1, 1, on(zk))) {
                assertThat(sem.osName()).isEqualTo("zookeeper:/apps/team" + znode(name));
                sem.acquire();
                assertThat(children("/apps/team" + znode(name) + "/slots")).containsExactly("0");
                zk.close(); // releases the permit, keeps the client
            }
            assertThat(children("/apps/team" + znode(name) + "/slots")).isEmpty();
            assertThat(client.checkExists().forPath(znode(name))).isNotNull();
            client.delete().deletingChildrenIfNeeded().forPath("/namedsem");
        }
        inspector.delete().deletingChildrenIfNeeded().forPath("/apps");
    }

    @Test
    void aChrootInTheConnectStringAndAnyPortableNameWork() throws Exception {
        String name = "büro %2F ✓ 😀 \u0007 " + ZkServers.uniqueName("chroot");
        try (var zk = ZooKeeperCluster.connect(server.getConnectString() + "/tenants/a", SESSION);
             var sem = NamedSemaphore.openOrCreate(name, 1, 1, on(zk))) {
            assertThat(zk.negotiatedSessionTimeout()).isEqualTo(SESSION);
            String encoded = ZnodeNames.encode(name);
            assertThat(children("/tenants/a" + ZooKeeperCluster.ROOT)).contains(encoded);
            assertThat(ZnodeNames.decode(encoded)).isEqualTo(name);
            assertThat(sem.name()).isEqualTo(name);
            assertThat(NamedSemaphore.unlink(name, on(zk))).isTrue();
            assertThat(NamedSemaphore.unlink(name, on(zk))).isFalse();
        }
        inspector.delete().deletingChildrenIfNeeded().forPath("/tenants");
    }

    @Test
    void unlinkWhileHeldLosesThePermitAndRemovesTheSemaphoreForEveryHandle() throws Exception {
        String name = name("unlink");
        var holderSession = session();
        var sem = create(holderSession, name, 2);
        Permit permit = sem.permit();
        var lost = new CountDownLatch(1);
        permit.onLost(lost::countDown);
        var waiter = create(session(), name, 2);
        assertThat(waiter.tryAcquire()).isTrue();

        assertThat(NamedSemaphore.unlink(name, on(session()))).isTrue();
        assertThat(lost.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(permit.state()).isEqualTo(PermitState.LOST);
        assertThatThrownBy(permit::checkValid).isInstanceOf(PermitLostException.class);
        assertThatThrownBy(permit::close).isInstanceOf(PermitLostException.class)
                .hasMessageContaining("slot " + permit.slot()).hasMessageContaining("token");
        assertThatThrownBy(sem::tryAcquire).isInstanceOf(SemaphoreRemovedException.class);
        assertThatThrownBy(waiter::availablePermits).isInstanceOf(SemaphoreRemovedException.class);

        // The same name made again is another semaphore: the old handles stay removed.
        var again = create(session(), name, 2);
        assertThat(again.created()).isTrue();
        assertThatThrownBy(sem::tryAcquire).isInstanceOf(SemaphoreRemovedException.class);
        assertThatThrownBy(() -> waiter.tryAcquire(Duration.ofMillis(50))).isInstanceOf(SemaphoreRemovedException.class);
        assertThat(again.availablePermits()).isEqualTo(2);
    }

    @Test
    void unlinkEndsBlockingWaits() throws Exception {
        String name = name("unlinkwait");
        var holder = create(session(), name, 1);
        holder.acquire();
        var waiter = create(session(), name, 1);
        var outcome = new CompletableFuture<Throwable>();
        Thread.ofPlatform().start(() -> {
            try {
                waiter.acquire();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        awaitChildren(znode(name) + "/queue", 1);
        assertThat(NamedSemaphore.unlink(name, on(session()))).isTrue();
        assertThat(outcome.get(20, TimeUnit.SECONDS)).isInstanceOf(SemaphoreRemovedException.class);
    }

    @Test
    void interruptsAndTimeoutsRacingWithReleasesNeverLeakASlotOrAQueueEntry() throws Exception {
        String name = name("races");
        var holder = create(session(), name, 1);
        var waiter = create(session(), name, 1);
        AtomicInteger got = new AtomicInteger();
        for (int round = 0; round < 12; round++) {
            holder.acquire();
            int r = round;
            var result = new CompletableFuture<Boolean>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    result.complete(waiter.tryAcquire(Duration.ofMillis(150 + 10 * r)));
                } catch (InterruptedException e) {
                    result.complete(false);
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                }
            });
            Thread.sleep(100 + 7 * (round % 5));
            if (round % 2 == 0) {
                t.interrupt();
            }
            holder.release();
            if (result.get(20, TimeUnit.SECONDS)) {
                got.incrementAndGet();
                assertThat(waiter.availablePermits()).isZero();
                waiter.release();
            }
            t.join();
            assertThat(children(znode(name) + "/queue")).isEmpty();
            assertThat(children(znode(name) + "/slots")).isEmpty();
        }
        assertThat(got.get()).isBetween(0, 12);
    }

    @Test
    void manyVirtualThreadsShareThePermits() throws Exception {
        String name = name("virtual");
        var sem = create(session(), name, 2);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            threads.add(Thread.ofVirtual().start(() -> {
                for (int j = 0; j < 3; j++) {
                    try (var _ = sem.permit()) {
                        most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.sleep(5);
                        inside.decrementAndGet();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            assertThat(t.join(Duration.ofSeconds(60))).isTrue();
        }
        assertThat(most.get()).isBetween(1, 2);
        assertThat(sem.availablePermits()).isEqualTo(2);
    }

    static void awaitChildren(String path, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (children(path).size() != count) {
            assertThat(System.nanoTime() < deadline).as("%s reaches %d children", path, count).isTrue();
            Thread.sleep(10);
        }
    }
}
