package io.github.namedsem.internal;

import io.github.namedsem.ClusterPermit;
import io.github.namedsem.ClusterSemaphore;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A cluster's semaphore handle seen as a {@link NativeSemaphore}.
 *
 * <p>A cluster permit is an object (a slot with an owner), while {@code acquire()} and
 * {@code release(n)} only count. This class keeps the permits taken by counting calls, so that
 * {@code release(n)} gives back n of this handle's own; permits taken as
 * {@link io.github.namedsem.Permit}s are kept by those instead.
 */
public final class ClusterHandle implements NativeSemaphore {
    private final String name;
    private final ClusterSemaphore cluster;
    private final List<ClusterPermit> counted = new ArrayList<>(); // guarded by itself

    ClusterHandle(String name, ClusterSemaphore cluster) {
        this.name = name;
        this.cluster = cluster;
    }

    /**
     * Waits for a permit that the caller will own as a {@link io.github.namedsem.Permit}.
     *
     * @param timed whether {@code nanos} limits the wait
     * @param nanos how long to wait, when {@code timed}; zero or negative: only try
     * @param interruptible whether an interrupt ends the wait
     * @return the permit, or {@code null} on timeout
     * @throws InterruptedException if interruptible and interrupted; nothing is then held
     */
    public ClusterPermit lease(boolean timed, long nanos, boolean interruptible) throws InterruptedException {
        ClusterPermit permit = cluster.tryAcquire();
        if (permit != null || (timed && nanos <= 0)) {
            return permit;
        }
        return cluster.acquire(timed, nanos, interruptible);
    }

    /**
     * Waits for a permit that this handle keeps for {@link #release(int)}.
     *
     * @param timed whether {@code nanos} limits the wait
     * @param nanos how long to wait, when {@code timed}
     * @param interruptible whether an interrupt ends the wait
     * @return {@code true} if a permit was taken
     * @throws InterruptedException if interruptible and interrupted; nothing is then held
     */
    public boolean await(boolean timed, long nanos, boolean interruptible) throws InterruptedException {
        return keep(cluster.acquire(timed, nanos, interruptible));
    }

    private boolean keep(ClusterPermit permit) {
        if (permit == null) {
            return false;
        }
        synchronized (counted) {
            counted.add(permit);
        }
        return true;
    }

    @Override
    public boolean tryAcquire() {
        return keep(cluster.tryAcquire());
    }

    @Override
    public boolean awaitPermit(long nanos) {
        // Only reached if a caller waits in slices; one bounded cluster wait serves the slice.
        return keep(awaitUninterruptibly(nanos));
    }

    private ClusterPermit awaitUninterruptibly(long nanos) {
        try {
            return cluster.acquire(true, Math.max(nanos, 1), false);
        } catch (InterruptedException e) {
            throw new AssertionError("an uninterruptible wait was interrupted", e);
        }
    }

    @Override
    public int release(int permits) {
        List<ClusterPermit> mine;
        synchronized (counted) {
            if (counted.size() < permits) {
                throw new IllegalStateException("Cannot release " + permits + " permit(s) of distributed semaphore "
                        + name + ": this handle holds " + counted.size() + " acquired with acquire()/tryAcquire()."
                        + " A permit belongs to the session that took it and must be released by the process that"
                        + " acquired it, through the same handle (a Permit object by closing it). Nothing was released.");
            }
            List<ClusterPermit> tail = counted.subList(counted.size() - permits, counted.size());
            mine = new ArrayList<>(tail);
            tail.clear();
        }
        int before = cluster.availablePermits();
        RuntimeException first = null;
        for (ClusterPermit permit : mine) {
            try {
                permit.release();
            } catch (RuntimeException e) { // a lost permit must not keep the others held
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
        return before;
    }

    @Override
    public int availablePermits() {
        return cluster.availablePermits();
    }

    @Override
    public OptionalInt maxPermits() {
        return OptionalInt.of(cluster.maxPermits());
    }

    @Override
    public String osName() {
        return cluster.location();
    }

    @Override
    public void close() {
        cluster.close();
    }
}
