package io.github.namedsem.zookeeper;

import io.github.namedsem.ClusterPermit;
import io.github.namedsem.PermitLostException;
import io.github.namedsem.PermitState;
import io.github.namedsem.SemaphoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;

/**
 * A held slot. Watches its own znode, so that a deletion by anybody else (an unlink, an
 * operator) turns it {@link PermitState#LOST} at once; the cluster's connection listener moves
 * it between {@link PermitState#VALID} and {@link PermitState#SUSPECT}.
 */
final class ZkPermit implements ClusterPermit, Watcher {
    private static final System.Logger LOG = System.getLogger(ZkPermit.class.getName());

    private final ZkSemaphore semaphore;
    private final int slot;
    private final String node;
    private final long token;
    private final long owner;
    private final byte[] lease;
    private final AtomicReference<PermitState> state = new AtomicReference<>(PermitState.VALID);
    private final AtomicBoolean released = new AtomicBoolean();
    private final List<Runnable> onLost = new ArrayList<>(); // guarded by itself
    private volatile boolean releasedWithHandle;
    private volatile String lostBecause;

    ZkPermit(ZkSemaphore semaphore, int slot, String node, long token, long owner, byte[] lease) {
        this.semaphore = semaphore;
        this.slot = slot;
        this.node = node;
        this.token = token;
        this.owner = owner;
        this.lease = lease;
    }

    String node() {
        return node;
    }

    long owner() {
        return owner;
    }

    byte[] lease() {
        return lease;
    }

    @Override
    public PermitState state() {
        return state.get();
    }

    @Override
    public long token() {
        return token;
    }

    @Override
    public int slot() {
        return slot;
    }

    @Override
    public void onLost(Runnable action) {
        synchronized (onLost) {
            if (state.get() != PermitState.LOST) {
                onLost.add(action);
                return;
            }
        }
        action.run();
    }

    @Override
    public void process(WatchedEvent event) {
        // Slot data never changes, so the only event of this exists-watch is the deletion;
        // connection events (type None) are the cluster listener's business.
        if (event.getType() == Event.EventType.NodeDeleted && !released.get()) {
            lose("its slot znode " + node + " was deleted (the semaphore was unlinked, or the session ended)");
        }
    }

    void suspect() {
        state.compareAndSet(PermitState.VALID, PermitState.SUSPECT);
    }

    /** After a reconnect: valid again if the slot is still ours, lost otherwise. */
    void revalidate() {
        if (released.get() || state.get() == PermitState.LOST) {
            return;
        }
        try {
            if (semaphore.stillOurs(this)) {
                state.compareAndSet(PermitState.SUSPECT, PermitState.VALID);
            } else {
                lose("its slot znode " + node + " is no longer this session's");
            }
        } catch (SemaphoreUnavailableException e) {
            suspect(); // disconnected again; the next reconnect checks again
        }
    }

    void lose(String why) {
        if (state.getAndSet(PermitState.LOST) == PermitState.LOST) {
            return;
        }
        lostBecause = why;
        if (released.get()) {
            return;
        }
        semaphore.forgetLost(this);
        List<Runnable> actions;
        synchronized (onLost) {
            actions = new ArrayList<>(onLost);
            onLost.clear();
        }
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.WARNING, "An onLost action of a permit of distributed semaphore "
                        + semaphore.name() + " failed", e);
            }
        }
    }

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            if (releasedWithHandle) {
                throw semaphore.closedException();
            }
            return;
        }
        if (state.get() == PermitState.LOST) {
            semaphore.forgetLost(this);
            throw lostException();
        }
        if (!semaphore.deleteSlot(this)) {
            state.set(PermitState.LOST);
            if (lostBecause == null) {
                lostBecause = "its slot znode " + node + " was no longer this session's when it was released";
            }
            throw lostException();
        }
    }

    /** Gives the permit back as its handle closes; failures are left to the session's end. */
    void releaseQuietly() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        releasedWithHandle = true;
        try {
            semaphore.deleteSlot(this);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Releasing a permit of " + semaphore.name() + " on close failed", e);
        }
    }

    private PermitLostException lostException() {
        return new PermitLostException("The permit on slot " + slot + " (token " + token + ") of distributed semaphore "
                + semaphore.name() + " was lost before it was released: " + lostBecause + ". Another holder may"
                + " have had it meanwhile, so the work done under it was not protected by the semaphore; only a"
                + " resource that checks the permit's token can have refused stale work", semaphore.name(),
                semaphore.location());
    }

    @Override
    public String toString() {
        return "slot " + slot + " token " + token + " " + state.get();
    }
}
