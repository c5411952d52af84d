package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.namedsem.zookeeper.ZooKeeperCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract every kind passes, run for the distributed kind against a real ZooKeeper
 * server on 127.0.0.1 started here (admin server off). What only this kind does (sessions,
 * partitions, a killed leader, fencing tokens) is tested in {@code io.github.namedsem.zookeeper}.
 */
class DistributedKindTest extends SemaphoreContract {
    private static TestingServer server;
    private static ZooKeeperCluster cluster;
    private static SemaphoreOptions options;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        System.setProperty("zookeeper.admin.enableServer", "false");
        // A long session: the contract's lifetime test runs the collector without pause for many
        // seconds, which would starve a short session's pings and end it (taking the permits
        // its semaphores rely on, as a paused client's are taken in production).
        Map<String, Object> props = Map.of("clientPortAddress", "127.0.0.1", "admin.enableServer", "false",
                "maxSessionTimeout", "60000");
        server = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 250, -1, props, "127.0.0.1"), true);
        cluster = ZooKeeperCluster.connect(server.getConnectString(), Duration.ofSeconds(40));
        options = SemaphoreOptions.defaults().cluster(cluster);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        cluster.close();
        server.close();
    }

    /** Handles holding the permits that semaphores made with fewer free permits started without. */
    private final List<NamedSemaphore> reserves = new ArrayList<>();

    @AfterEach
    void closeReserves() {
        reserves.forEach(NamedSemaphore::close);
    }

    /**
     * A distributed semaphore starts with every permit free (a permit is a slot some session
     * holds). One that starts lower is made as the contract means it: nobody the test knows
     * holds the difference; here another handle does, until the test ends.
     */
    @Override
    public NamedSemaphore create(String name, int initialPermits, int maxPermits) {
        if (initialPermits < 0 || initialPermits >= maxPermits) {
            return NamedSemaphore.create(name, initialPermits, maxPermits, options());
        }
        NamedSemaphore sem = NamedSemaphore.create(name, maxPermits, maxPermits, options());
        reserve(name, maxPermits - initialPermits);
        return sem;
    }

    @Override
    public NamedSemaphore openOrCreate(String name, int initialPermits, int maxPermits) {
        if (initialPermits < 0 || initialPermits >= maxPermits) {
            return NamedSemaphore.openOrCreate(name, initialPermits, maxPermits, options());
        }
        NamedSemaphore sem = NamedSemaphore.openOrCreate(name, maxPermits, maxPermits, options());
        if (sem.created()) {
            reserve(name, maxPermits - initialPermits);
        }
        return sem;
    }

    private void reserve(String name, int permits) {
        NamedSemaphore reserve = NamedSemaphore.open(name, options());
        reserves.add(reserve);
        for (int i = 0; i < permits; i++) {
            assertThat(reserve.tryAcquire()).as("reserving permit %d of %s", i, name).isTrue();
        }
    }

    @Override
    public boolean aDifferentMaximumIsRefused() {
        return true;
    }

    @Override
    public SemaphoreOptions options() {
        return options;
    }

    @Override
    String unavailableBecause() {
        return null; // a ZooKeeper server runs wherever a JVM does
    }

    @Override
    public boolean releaseNeedsTheAcquiringProcess() {
        return true; // permits are slots owned by the session that took them
    }

    @Override
    public boolean releaseNeedsTheAcquiringHandle() {
        return true; // ... and, within it, by the handle
    }

    @Override
    public boolean waitsThroughThePump() {
        return false; // waits happen in the ZooKeeper client: watches and a queue znode
    }

    @Override
    public boolean operationsAreLocal() {
        return false;
    }

    @Override
    public boolean maximumBindsEveryHandle() {
        return true; // stored once in the semaphore's znode: there are max slots
    }

    @Override
    public boolean openKnowsTheMaximum() {
        return true;
    }

    @Override
    public boolean unlinkKeepsOpenHandlesWorking() {
        return false; // handles elsewhere get SemaphoreRemovedException
    }

    @Override
    public boolean previousCountIsExact() {
        return false; // the slots are counted just before the release
    }

    @Override
    public int countLimit() {
        return 10_000;
    }

    @Override
    public String nameInMessages(String name) {
        return name; // "distributed semaphore NAME"
    }

    @Override
    public List<String> noSuchSemaphoreMessageSays(String name) {
        return List.of("No distributed semaphore " + name, "create it");
    }
}
