package io.github.namedsem.zookeeper;

import io.github.namedsem.ClusterPermit;
import io.github.namedsem.ClusterSemaphore;
import io.github.namedsem.SemaphoreClosedException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreRemovedException;
import io.github.namedsem.SemaphoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

/**
 * One handle to a distributed semaphore: the recipe.
 *
 * <p>Znodes under {@code path}: {@code slots/k} (ephemeral, {@code 0 <= k < max}) is a held
 * permit, so at most {@code max} can exist whatever any client believes; its data is a lease id
 * unique to the acquisition, which tells a create whose reply was lost from somebody else's.
 * {@code queue/...-w-NNNNNNNNNN} (ephemeral sequential, created with Curator's protection, which
 * finds its own node after a lost reply) are blocking waiters in order: only the first watches
 * {@code slots}, every other one watches its predecessor, so a release wakes one waiter.
 */
final class ZkSemaphore implements ClusterSemaphore {
    private final ZooKeeperCluster cluster;
    private final String name;
    private final String path;
    private final String slotsPath;
    private final String queuePath;
    private final int max;
    private final long generation; // creation zxid of the semaphore znode and of its slots znode
    private final boolean created;
    private final Set<ZkPermit> mine = ConcurrentHashMap.newKeySet();
    private final Set<Wake> waits = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ZkSemaphore(ZooKeeperCluster cluster, String name, String path, int max, long generation, boolean created) {
        this.cluster = cluster;
        this.name = name;
        this.path = path;
        this.slotsPath = path + "/slots";
        this.queuePath = path + "/queue";
        this.max = max;
        this.generation = generation;
        this.created = created;
    }

    /** Wakes one waiting thread: registered as the watcher of what it waits for. */
    static final class Wake implements Watcher {
        private final Semaphore signals = new Semaphore(0);

        @Override
        public void process(WatchedEvent event) {
            signal();
        }

        void signal() {
            signals.release();
        }

        void clear() {
            signals.drainPermits();
        }

        void await(long nanos, boolean interruptible) throws InterruptedException {
            if (interruptible) {
                signals.tryAcquire(nanos, TimeUnit.NANOSECONDS);
                return;
            }
            long deadline = System.nanoTime() + nanos;
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        signals.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    // ---------------------------------------------------------------- acquiring

    @Override
    public ClusterPermit tryAcquire() {
        checkOpen();
        if (cluster.hasUnresolved()) {
            cluster.resolvePending();
        }
        return takeSlot(null);
    }

    @Override
    public ClusterPermit acquire(boolean timed, long nanos, boolean interruptible) throws InterruptedException {
        checkOpen();
        final long deadline = System.nanoTime() + (timed ? Math.max(nanos, 0) : 0);
        boolean interruptedMeanwhile = false;
        Wake wake = new Wake();
        waits.add(wake);
        cluster.waits.add(wake);
        String entry = null;
        try {
            while (true) {
                if (Thread.interrupted()) {
                    if (interruptible) {
                        throw new InterruptedException();
                    }
                    interruptedMeanwhile = true;
                }
                checkOpen();
                long remaining = deadline - System.nanoTime();
                if (timed && remaining <= 0) {
                    return null;
                }
                wake.clear(); // every watch set below signals anew
                try {
                    if (cluster.hasUnresolved()) {
                        cluster.resolvePending();
                    }
                    if (entry == null) {
                        entry = enqueue();
                    }
                    List<String> queue = queue();
                    int position = queue.indexOf(ZKPaths.getNodeFromPath(entry));
                    if (position < 0) {
                        entry = null; // our session ended and took the entry with it: queue again
                        continue;
                    }
                    if (position == 0) {
                        ZkPermit permit = takeSlot(wake);
                        if (permit != null) {
                            return permit;
                        }
                    } else if (exists(queuePath + "/" + queue.get(position - 1), wake) == null) {
                        continue; // the predecessor left between the two reads
                    }
                } catch (SemaphoreUnavailableException unreachable) {
                    // The connection is down; the connection listener signals when it changes.
                    if (interruptible && Thread.interrupted()) {
                        throw new InterruptedException();
                    }
                }
                long slice = cluster.operationTimeoutNanos * 4; // a safety net; watches do the waking
                wake.await(timed ? Math.min(slice, Math.max(0, deadline - System.nanoTime())) : slice, interruptible);
            }
        } finally {
            waits.remove(wake);
            cluster.waits.remove(wake);
            if (entry != null) {
                leaveQueue(entry);
            }
            if (interruptedMeanwhile) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String enqueue() {
        try {
            return ZkErrors.run("wait on", name, cluster, () -> cluster.client.create().withProtection()
                    .withMode(CreateMode.EPHEMERAL_SEQUENTIAL).forPath(queuePath + "/w-"));
        } catch (KeeperException.NoNodeException e) {
            throw removed();
        } catch (KeeperException.NodeExistsException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** Waiters in order of their sequence numbers (the last ten digits; the prefix is Curator's). */
    private List<String> queue() {
        try {
            List<String> queue = new ArrayList<>(ZkErrors.run("wait on", name, cluster,
                    () -> cluster.client.getChildren().forPath(queuePath)));
            queue.sort(Comparator.comparing((String n) -> n.substring(Math.max(0, n.length() - 10))));
            return queue;
        } catch (KeeperException.NoNodeException e) {
            throw removed();
        } catch (KeeperException.NodeExistsException impossible) {
            throw new AssertionError(impossible);
        }
    }

    private Stat exists(String node, Watcher watcher) {
        try {
            return ZkErrors.run("wait on", name, cluster,
                    () -> cluster.client.checkExists().usingWatcher(watcher).forPath(node));
        } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException impossible) {
            throw new AssertionError(impossible);
        }
    }

    /** Removes our queue entry, also when interrupted, and in the background if unreachable. */
    private void leaveQueue(String entry) {
        boolean interrupted = Thread.interrupted();
        try {
            cluster.client.delete().guaranteed().forPath(entry);
        } catch (KeeperException.NoNodeException gone) {
            // the session that held it ended
        } catch (Exception e) {
            // Curator's guaranteed delete keeps trying in the background until it succeeds.
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Takes a free slot if there is one. With a watcher, the read of the slots also watches
     * them, so a release after it is never missed.
     */
    private ZkPermit takeSlot(Watcher watcher) {
        Stat stat = new Stat();
        List<String> taken;
        try {
            taken = ZkErrors.run("acquire a permit of", name, cluster, () -> watcher == null
                    ? cluster.client.getChildren().storingStatIn(stat).forPath(slotsPath)
                    : cluster.client.getChildren().storingStatIn(stat).usingWatcher(watcher).forPath(slotsPath));
        } catch (KeeperException.NoNodeException e) {
            throw removed();
        } catch (KeeperException.NodeExistsException impossible) {
            throw new AssertionError(impossible);
        }
        checkGeneration(stat.getCzxid());
        Set<String> busy = new HashSet<>(taken);
        // Start at a random free slot, so that clients racing for the same permits mostly differ.
        int start = ThreadLocalRandom.current().nextInt(max);
        for (int i = 0; i < max; i++) {
            int slot = (start + i) % max;
            if (!busy.contains(Integer.toString(slot))) {
                ZkPermit permit = createSlot(slot);
                if (permit != null) {
                    return permit;
                }
            }
        }
        return null;
    }

    private ZkPermit createSlot(int slot) {
        String node = slotsPath + "/" + slot;
        byte[] lease = (UUID.randomUUID() + " pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8);
        Stat stat = new Stat();
        boolean interruptedBefore = Thread.interrupted(); // see ZkErrors.run
        try {
            cluster.client.create().storingStatIn(stat).withMode(CreateMode.EPHEMERAL).forPath(node, lease);
            return held(slot, node, stat, lease);
        } catch (KeeperException.NodeExistsException e) {
            // Taken; or taken by this very call, when Curator retried after a lost reply.
            return claimIfOurs(slot, node, lease);
        } catch (KeeperException.NoNodeException e) {
            throw removed();
        } catch (Exception e) {
            if (!ZkErrors.uncertain(e)) {
                throw ZkErrors.translate("acquire a permit of", name, cluster, e);
            }
            // The create may have happened with its reply lost: find out now, so no slot is
            // left taken by nobody.
            boolean interrupted = Thread.interrupted() || e instanceof InterruptedException;
            try {
                return claimIfOurs(slot, node, lease);
            } catch (SemaphoreUnavailableException stillUnreachable) {
                cluster.rememberUnresolved(node, lease);
                throw stillUnreachable;
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            if (interruptedBefore) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private ZkPermit claimIfOurs(int slot, String node, byte[] lease) {
        Stat stat = new Stat();
        byte[] data;
        try {
            data = ZkErrors.run("acquire a permit of", name, cluster,
                    () -> cluster.client.getData().storingStatIn(stat).forPath(node));
        } catch (KeeperException.NoNodeException e) {
            return null;
        } catch (KeeperException.NodeExistsException impossible) {
            throw new AssertionError(impossible);
        }
        return Arrays.equals(data, lease) ? held(slot, node, stat, lease) : null;
    }

    private ZkPermit held(int slot, String node, Stat stat, byte[] lease) {
        var permit = new ZkPermit(this, slot, node, stat.getCzxid(), stat.getEphemeralOwner(), lease);
        mine.add(permit);
        cluster.permits.add(permit);
        try {
            if (exists(node, permit) == null) {
                permit.lose("its slot znode " + node + " was deleted");
            }
        } catch (SemaphoreUnavailableException e) {
            permit.suspect(); // the reconnect check decides
        }
        if (closed) {
            permit.releaseQuietly();
            throw closedException();
        }
        return permit;
    }

    // ---------------------------------------------------------------- releasing

    /**
     * Deletes a permit's slot if it is still this permit's: through the ZooKeeper session that
     * created it, so that a slot since given to another session is never deleted.
     *
     * @return {@code false} if the slot is no longer this permit's
     */
    boolean deleteSlot(ZkPermit permit) {
        mine.remove(permit);
        cluster.permits.remove(permit);
        String full = ZKPaths.fixForNamespace(cluster.client.getNamespace(), permit.node());
        long deadline = System.nanoTime() + cluster.operationTimeoutNanos * 2;
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    ZooKeeper zk = cluster.client.getZookeeperClient().getZooKeeper();
                    if (zk.getSessionId() != permit.owner()) {
                        return false; // the owning session ended, and its ephemeral slot with it
                    }
                    Stat stat = new Stat();
                    byte[] data = zk.getData(full, false, stat);
                    if (!Arrays.equals(data, permit.lease()) || stat.getEphemeralOwner() != permit.owner()) {
                        return false;
                    }
                    zk.delete(full, stat.getVersion());
                    return true;
                } catch (KeeperException.NoNodeException | KeeperException.SessionExpiredException gone) {
                    return false;
                } catch (Exception e) {
                    if (!ZkErrors.uncertain(e) || System.nanoTime() - deadline > 0) {
                        cluster.rememberUnresolved(permit.node(), permit.lease());
                        throw ZkErrors.translate("release a permit of", name, cluster, e);
                    }
                    if (e instanceof InterruptedException) {
                        interrupted = true;
                    }
                    pause();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void forgetLost(ZkPermit permit) {
        mine.remove(permit);
        cluster.permits.remove(permit);
    }

    /** Checks, after a reconnect, that a permit's slot is still this session's. */
    boolean stillOurs(ZkPermit permit) {
        try {
            if (cluster.sessionId() != permit.owner()) {
                return false;
            }
            Stat stat = new Stat();
            byte[] data = cluster.client.getData().storingStatIn(stat).forPath(permit.node());
            return Arrays.equals(data, permit.lease()) && stat.getEphemeralOwner() == permit.owner();
        } catch (KeeperException.NoNodeException e) {
            return false;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw ZkErrors.translate("check a permit of", name, cluster, e);
        }
    }

    // ---------------------------------------------------------------- state

    @Override
    public int availablePermits() {
        checkOpen();
        Stat stat = new Stat();
        List<String> taken;
        try {
            taken = ZkErrors.run("read", name, cluster,
                    () -> cluster.client.getChildren().storingStatIn(stat).forPath(slotsPath));
        } catch (KeeperException.NoNodeException e) {
            throw removed();
        } catch (KeeperException.NodeExistsException impossible) {
            throw new AssertionError(impossible);
        }
        checkGeneration(stat.getCzxid());
        return Math.max(0, max - taken.size());
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
        return cluster.osName(name);
    }

    String name() {
        return name;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        waits.forEach(Wake::signal);
        for (ZkPermit permit : mine) {
            permit.releaseQuietly();
        }
        cluster.forget(this);
    }

    boolean isClosed() {
        return closed;
    }

    private void checkOpen() {
        if (closed) {
            throw closedException();
        }
        cluster.checkOpen(name);
    }

    SemaphoreClosedException closedException() {
        return new SemaphoreClosedException("This handle to distributed semaphore " + name + " is closed (permits"
                + " acquired through it were given back when it closed); open a new one with NamedSemaphore.open(\""
                + name + "\", options)", name, location(), SemaphoreKind.DISTRIBUTED, 0, null);
    }

    private void checkGeneration(long czxid) {
        if (czxid != generation) {
            throw removed();
        }
    }

    private SemaphoreRemovedException removed() {
        return new SemaphoreRemovedException("Distributed semaphore " + name + " was removed (unlinked) from ZooKeeper"
                + " at " + cluster + " while this handle used it" + (cluster.isClosed() ? "" : "; if one of that name"
                + " exists now it is a new semaphore") + ". Nothing is held through this handle any more: close it,"
                + " and open or create the semaphore anew if the work must go on", name, location(),
                SemaphoreKind.DISTRIBUTED, 0, null);
    }
}
