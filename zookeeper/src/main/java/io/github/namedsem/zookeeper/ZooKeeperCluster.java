package io.github.namedsem.zookeeper;

import io.github.namedsem.ClusterSemaphore;
import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.SemaphoreClosedException;
import io.github.namedsem.SemaphoreCluster;
import io.github.namedsem.SemaphoreExistsException;
import io.github.namedsem.SemaphoreKind;
import io.github.namedsem.SemaphoreUnavailableException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.RetryNTimes;
import org.apache.curator.utils.ZKPaths;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * An Apache ZooKeeper ensemble that keeps {@link io.github.namedsem.SemaphoreKind#DISTRIBUTED
 * distributed} named semaphores, through one ZooKeeper session.
 * {@snippet :
 * try (var zk = ZooKeeperCluster.connect("zk1:2181,zk2:2181,zk3:2181/apps", Duration.ofSeconds(10));
 *      var sem = NamedSemaphore.openOrCreate("gpu", 2, 2, SemaphoreOptions.defaults().cluster(zk));
 *      var permit = sem.permit(Duration.ofMinutes(5))) {
 *     permit.onLost(job::cancel);
 *     store.write(result, permit.token()); // a fencing token: the store refuses older ones
 * }
 * }
 *
 * <p>Every permit belongs to this object's session: when the session ends (this object is
 * closed, the process dies, or the ensemble stops hearing from it for longer than the
 * {@linkplain #negotiatedSessionTimeout() session timeout}), ZooKeeper removes its permits and
 * gives them to waiters. Closing this object is the equivalent of the process exiting.
 *
 * <p>Semaphore {@code name} is the znode {@code <chroot>/namedsem/v1/<name>}; see
 * {@code docs/distributed.md} for the layout.
 */
public final class ZooKeeperCluster implements SemaphoreCluster, AutoCloseable {
    static final String ROOT = "/namedsem/v1";
    private static final SemaphoreKind KIND = SemaphoreKind.DISTRIBUTED;
    /** Slots are children of one znode; ten thousand of them list in well under 1 MB. */
    private static final int MAX_PERMITS = 10_000;
    private static final System.Logger LOG = System.getLogger(ZooKeeperCluster.class.getName());

    final CuratorFramework client;
    private final boolean owned;
    private final String description;
    final long operationTimeoutNanos;
    private final ExecutorService events;
    private final ConnectionStateListener listener = (c, state) -> onConnectionState(state);
    private final Set<ZkSemaphore> handles = ConcurrentHashMap.newKeySet();
    final Set<ZkPermit> permits = ConcurrentHashMap.newKeySet();
    final Set<ZkSemaphore.Wake> waits = ConcurrentHashMap.newKeySet();
    /** Slots whose create or delete had no answer: znode path to the lease bytes that mark them ours. */
    private final Map<String, byte[]> unresolved = new ConcurrentHashMap<>();
    private volatile boolean rootExists;
    private volatile boolean closed;

    private ZooKeeperCluster(CuratorFramework client, boolean owned, String description) {
        this.client = client;
        this.owned = owned;
        this.description = description;
        int connectionMs = client.getZookeeperClient().getConnectionTimeoutMs();
        this.operationTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(connectionMs, 1000));
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "namedsem-zookeeper-events");
            t.setDaemon(true);
            return t;
        });
        client.getConnectionStateListenable().addListener(listener, events);
    }

    /**
     * Connects to a ZooKeeper ensemble with a session of its own, which {@link #close()} ends.
     *
     * @param connectString the servers, {@code host:port} separated by commas, optionally
     *     followed by a chroot path under which namedsem keeps its znodes, as in
     *     {@code "zk1:2181,zk2:2181,zk3:2181/apps"}; the chroot is created if missing
     * @param sessionTimeout how long the ensemble keeps this client's session, and so its
     *     permits, after it stops hearing from it; the servers clamp it to between 2 and 20
     *     ticks (4 to 40 seconds by default), see {@link #negotiatedSessionTimeout()}
     * @return the connected cluster
     * @throws IllegalArgumentException if the connect string or timeout is malformed
     * @throws SemaphoreUnavailableException if no server answered within the session timeout
     *     (at least one second); nothing is left open
     */
    public static ZooKeeperCluster connect(String connectString, Duration sessionTimeout) {
        Objects.requireNonNull(connectString, "connectString");
        Objects.requireNonNull(sessionTimeout, "sessionTimeout");
        if (sessionTimeout.isNegative() || sessionTimeout.isZero() || sessionTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Invalid ZooKeeper session timeout " + sessionTimeout
                    + ": it must be positive, such as Duration.ofSeconds(10)");
        }
        int slash = connectString.indexOf('/');
        String hosts = slash < 0 ? connectString : connectString.substring(0, slash);
        String chroot = slash < 0 ? "" : connectString.substring(slash + 1).replaceAll("/+$", "");
        if (hosts.isBlank()) {
            throw new IllegalArgumentException("Invalid ZooKeeper connect string \"" + connectString
                    + "\": name at least one server, as in \"zk1:2181,zk2:2181/apps\"");
        }
        int sessionMs = (int) sessionTimeout.toMillis();
        // A third of the session, tried twice: a client that cannot reach any server reports it
        // (SemaphoreUnavailableException) while its session, and its permits, are still alive.
        int connectionMs = Math.max(1000, Math.min(15_000, sessionMs / 3));
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(hosts)
                .namespace(chroot.isEmpty() ? null : chroot)
                .sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(connectionMs)
                .retryPolicy(new RetryNTimes(1, 100))
                .build();
        client.start();
        try {
            if (!client.blockUntilConnected(Math.max(connectionMs, sessionMs), TimeUnit.MILLISECONDS)) {
                client.close();
                throw new SemaphoreUnavailableException("Cannot connect to ZooKeeper at " + connectString + " within "
                        + Duration.ofMillis(Math.max(connectionMs, sessionMs)) + ": check that the servers run and that"
                        + " this machine reaches their client port", "", "", null);
            }
        } catch (InterruptedException e) {
            client.close();
            Thread.currentThread().interrupt();
            throw new SemaphoreUnavailableException("Interrupted while connecting to ZooKeeper at " + connectString,
                    "", "", e);
        }
        return new ZooKeeperCluster(client, true, connectString);
    }

    /**
     * Uses a Curator client the application already has, and its session. Closing the
     * returned object releases the permits taken through it but leaves the client open.
     *
     * @param client a started client; its namespace, if any, is the chroot
     * @return the cluster
     * @throws IllegalArgumentException if the client has not been started or is closed
     */
    public static ZooKeeperCluster using(CuratorFramework client) {
        Objects.requireNonNull(client, "client");
        if (client.getState() != CuratorFrameworkState.STARTED) {
            throw new IllegalArgumentException("The Curator client is " + client.getState()
                    + "; call start() on it before ZooKeeperCluster.using(client)");
        }
        String ns = client.getNamespace();
        return new ZooKeeperCluster(client, false, client.getZookeeperClient().getCurrentConnectionString()
                + (ns == null || ns.isEmpty() ? "" : "/" + ns));
    }

    /**
     * The session timeout the ensemble granted, which may differ from the one asked for: the
     * servers clamp it to between 2 and 20 times their tick. Permits of a client that stops
     * answering go back to the semaphore this long after the ensemble last heard from it.
     *
     * @return the negotiated timeout
     * @throws SemaphoreUnavailableException if the client has never been connected
     */
    public Duration negotiatedSessionTimeout() {
        try {
            int ms = client.getZookeeperClient().getZooKeeper().getSessionTimeout();
            return Duration.ofMillis(ms);
        } catch (Exception e) {
            throw ZkErrors.translate("read the session timeout of", "", this, e);
        }
    }

    /**
     * The Curator client this cluster uses.
     *
     * @return the client; do not close it while this cluster is open
     */
    public CuratorFramework curator() {
        return client;
    }

    /**
     * Closes every semaphore handle opened through this cluster, which releases their
     * permits, and ends the session if this object opened it ({@link #connect}). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ZkSemaphore handle : handles) {
            handle.close();
        }
        client.getConnectionStateListenable().removeListener(listener); // a borrowed client lives on
        if (owned) {
            client.close();
        }
        events.shutdown();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return description;
    }

    // ---------------------------------------------------------------- SemaphoreCluster

    @Override
    public ClusterSemaphore create(String name, int initialPermits, int maxPermits, boolean openIfExists) {
        checkOpen(name);
        if (initialPermits != maxPermits) {
            throw new IllegalArgumentException("Cannot create distributed semaphore " + name + " with " + initialPermits
                    + " of " + maxPermits + " permits free: a distributed permit is a slot held by a session, so a new"
                    + " semaphore has all " + maxPermits + " free; use initialPermits = maxPermits, and hold permits to"
                    + " lower the count");
        }
        String path = pathOf(name);
        byte[] record = new SemaphoreRecord(SemaphoreRecord.FORMAT, maxPermits, creator()).toBytes();
        for (int attempt = 0; ; attempt++) {
            ensureRoot(name);
            try {
                ZkErrors.run("create", name, this, () -> client.transaction().forOperations(
                        client.transactionOp().create().forPath(path, record),
                        client.transactionOp().create().forPath(path + "/slots"),
                        client.transactionOp().create().forPath(path + "/queue")));
                return openExisting(name, path, maxPermits, record);
            } catch (KeeperException.NodeExistsException e) {
                ZkSemaphore existing;
                try {
                    // Ours after all if a retry, after a lost reply, found our own record.
                    existing = openExisting(name, path, openIfExists ? maxPermits : -1, record);
                } catch (NoSuchSemaphoreException unlinkedMeanwhile) {
                    if (attempt >= 5) {
                        throw unlinkedMeanwhile;
                    }
                    continue;
                }
                if (openIfExists || existing.created()) {
                    return existing;
                }
                existing.close();
                KeeperException.Code code = KeeperException.Code.NODEEXISTS;
                throw new SemaphoreExistsException("Cannot create distributed semaphore " + name + ": it exists ("
                        + code + ") in ZooKeeper at " + this + " (" + path + "); open it with NamedSemaphore.open or"
                        + " openOrCreate, or unlink it first", name, osName(name), KIND, code.intValue(), code.name());
            } catch (KeeperException.NoNodeException rootRemoved) {
                rootExists = false; // somebody removed /namedsem/v1; make it again
                if (attempt >= 5) {
                    throw ZkErrors.translate("create", name, this, rootRemoved);
                }
            }
        }
    }

    @Override
    public ClusterSemaphore open(String name) {
        checkOpen(name);
        return openExisting(name, pathOf(name), -1, null);
    }

    private ZkSemaphore openExisting(String name, String path, int expectedMax, byte[] ourRecord) {
        Stat stat = new Stat();
        byte[] data;
        try {
            data = ZkErrors.run("open", name, this, () -> client.getData().storingStatIn(stat).forPath(path));
        } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException e) {
            throw new NoSuchSemaphoreException("No distributed semaphore " + name + " in ZooKeeper at " + this + " ("
                    + path + "); create it with NamedSemaphore.create or openOrCreate and"
                    + " SemaphoreOptions.defaults().cluster(...)", name, osName(name), KIND, 0, null);
        }
        SemaphoreRecord record = SemaphoreRecord.parse(data);
        if (record == null || record.format() != SemaphoreRecord.FORMAT || record.max() < 1) {
            throw new NamedSemaphoreException("The znode " + path + " in ZooKeeper at " + this + " does not hold a"
                    + " namedsem semaphore of format " + SemaphoreRecord.FORMAT + " (it holds "
                    + (data == null ? "nothing" : "\"" + new String(data, java.nio.charset.StandardCharsets.UTF_8) + "\"")
                    + "); it was not made by this version of namedsem: use another name, or remove it if it is"
                    + " debris", name, osName(name), KIND, 0, null);
        }
        if (expectedMax >= 0 && record.max() != expectedMax) {
            throw new IllegalArgumentException("Cannot open distributed semaphore " + name + " with maximum "
                    + expectedMax + ": it was created with maximum " + record.max() + " (by " + record.creator()
                    + "), and every handle must use the same one; pass " + record.max()
                    + ", or unlink it and create it anew. Nothing was changed");
        }
        var handle = new ZkSemaphore(this, name, path, record.max(), stat.getCzxid(), Arrays.equals(data, ourRecord));
        handles.add(handle);
        if (closed) { // raced with close(): do not leave a handle it missed
            handle.close();
            checkOpen(name);
        }
        return handle;
    }

    /**
     * Removes the semaphore's znodes in one ZooKeeper transaction, so that nobody ever sees it
     * half removed: deleted child by child, a waiter woken by the deletion of a holder's slot
     * could take that slot (the slots node still there) and return from acquire() with a permit
     * of a semaphore being unlinked, instead of {@code SemaphoreRemovedException}. If a znode
     * appears or goes between the listing and the transaction, the transaction changes nothing
     * and the removal is tried again with a new listing.
     */
    @Override
    public boolean unlink(String name) {
        checkOpen(name);
        String path = pathOf(name);
        for (int attempt = 0; ; attempt++) {
            try {
                List<String> tree = ZkErrors.run("unlink", name, this, () -> deepestFirst(path));
                ZkErrors.run("unlink", name, this, () -> {
                    List<CuratorOp> deletes = new ArrayList<>(tree.size());
                    for (String node : tree) {
                        deletes.add(client.transactionOp().delete().forPath(node));
                    }
                    return client.transaction().forOperations(deletes);
                });
                return true;
            } catch (KeeperException.NoNodeException goneOrChanged) {
                // The semaphore is gone (unlinked by someone else), or a node of the listing went.
                if (!exists(name, path)) {
                    return false;
                }
            } catch (KeeperException.NodeExistsException impossible) {
                throw new AssertionError(impossible);
            } catch (NamedSemaphoreException e) {
                // A permit or waiter appeared after the listing.
                if (!(e.getCause() instanceof KeeperException.NotEmptyException)) {
                    throw e;
                }
            }
            if (attempt >= 20) {
                throw new SemaphoreUnavailableException("Cannot unlink distributed semaphore " + name + ": its permits"
                        + " and waiters kept changing during 20 attempts to remove it at once. Retry when it is"
                        + " less busy", name, osName(name), null);
            }
        }
    }

    /** The znodes under and including {@code path}, children before their parents. */
    private List<String> deepestFirst(String path) throws Exception {
        List<String> nodes = new ArrayList<>();
        for (String child : client.getChildren().forPath(path)) {
            nodes.addAll(deepestFirst(ZKPaths.makePath(path, child)));
        }
        nodes.add(path);
        return nodes;
    }

    private boolean exists(String name, String path) {
        try {
            return ZkErrors.run("unlink", name, this, () -> client.checkExists().forPath(path)) != null;
        } catch (KeeperException.NoNodeException | KeeperException.NodeExistsException impossible) {
            throw new AssertionError(impossible);
        }
    }

    @Override
    public int maxPermitsLimit() {
        return MAX_PERMITS;
    }

    // ---------------------------------------------------------------- shared by the handles

    void forget(ZkSemaphore handle) {
        handles.remove(handle);
    }

    void checkOpen(String name) {
        if (closed) {
            throw new SemaphoreClosedException("The ZooKeeperCluster for " + this + " is closed, so distributed"
                    + " semaphore " + name + " cannot be used through it; connect a new one", name, osName(name), KIND, 0, null);
        }
    }

    /** The id of the session in use now. */
    long sessionId() throws Exception {
        return client.getZookeeperClient().getZooKeeper().getSessionId();
    }

    /** Remembers a slot that may exist for us although nobody holds it, to delete it later. */
    void rememberUnresolved(String path, byte[] lease) {
        unresolved.put(path, lease);
    }

    /** Deletes slots this client created without learning so; they would block the semaphore. */
    void resolvePending() {
        for (Map.Entry<String, byte[]> e : unresolved.entrySet()) {
            try {
                Stat stat = new Stat();
                byte[] data = client.getData().storingStatIn(stat).forPath(e.getKey());
                if (Arrays.equals(data, e.getValue())) {
                    client.delete().withVersion(stat.getVersion()).forPath(e.getKey());
                }
                unresolved.remove(e.getKey());
            } catch (KeeperException.NoNodeException | KeeperException.BadVersionException gone) {
                unresolved.remove(e.getKey());
            } catch (Exception later) {
                if (later instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                    return;
                }
                // still unreachable: the next reconnect or acquire tries again
            }
        }
    }

    boolean hasUnresolved() {
        return !unresolved.isEmpty();
    }

    private void onConnectionState(ConnectionState state) {
        switch (state) {
            case SUSPENDED -> permits.forEach(ZkPermit::suspect);
            case RECONNECTED -> {
                resolvePending();
                permits.forEach(ZkPermit::revalidate);
            }
            case LOST -> permits.forEach(p -> p.lose("the ZooKeeper session ended (no server heard from this"
                    + " client within the session timeout)"));
            default -> { }
        }
        LOG.log(System.Logger.Level.DEBUG, "ZooKeeper connection to {0}: {1}", description, state);
        waits.forEach(ZkSemaphore.Wake::signal);
    }

    /** Where a semaphore lives, as {@code NamedSemaphore.osName()} reports it. */
    String osName(String name) {
        if (name.isEmpty()) {
            return "";
        }
        String ns = client.getNamespace();
        return "zookeeper:" + (ns == null || ns.isEmpty() ? "" : "/" + ns) + pathOf(name);
    }

    private String pathOf(String name) {
        return ROOT + "/" + ZnodeNames.encode(name);
    }

    private void ensureRoot(String name) {
        if (rootExists) {
            return;
        }
        try {
            ZkErrors.run("create", name, this, () -> client.create().creatingParentsIfNeeded().forPath(ROOT));
        } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException alreadyThere) {
            // made by another client: fine
        }
        rootExists = true;
    }

    private String creator() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown-host";
        }
        String session;
        try {
            session = Long.toHexString(sessionId());
        } catch (Exception e) {
            session = "?";
        }
        // The nonce makes each create's record unique, so a create retried after a lost reply
        // recognises the semaphore it made itself.
        return host + " pid " + ProcessHandle.current().pid() + " session 0x" + session + " #"
                + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    }
}
