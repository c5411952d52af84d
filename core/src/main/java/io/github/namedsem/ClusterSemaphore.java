package io.github.namedsem;

/**
 * One open handle to a semaphore kept by a {@link SemaphoreCluster}.
 *
 * <p>Permits are taken as {@link ClusterPermit}s, each released on its own: core keeps the
 * ones acquired without a {@link io.github.namedsem.Permit} object and releases those for
 * {@link io.github.namedsem.NamedSemaphore#release(int)}. Methods may be called from any
 * thread; {@link #close()} may race with waits, which must then end with
 * {@link io.github.namedsem.SemaphoreClosedException}.
 */
public interface ClusterSemaphore {

    /**
     * Takes a permit if one is free now, asking the cluster.
     *
     * @return the permit, or {@code null} if none is free
     * @throws io.github.namedsem.SemaphoreUnavailableException if the cluster cannot be reached
     * @throws io.github.namedsem.SemaphoreRemovedException if the semaphore was removed
     */
    ClusterPermit tryAcquire();

    /**
     * Waits for a permit and takes it.
     *
     * @param timed whether {@code nanos} limits the wait; if {@code false} it waits until a
     *     permit comes, the handle is closed or (if interruptible) an interrupt
     * @param nanos how long to wait on the monotonic clock, when {@code timed}; zero or
     *     negative gives up after one attempt
     * @param interruptible whether an interrupt ends the wait; if not, an interrupt is
     *     remembered and the interrupt status set on return
     * @return the permit, or {@code null} if the timeout passed without one
     * @throws InterruptedException if interruptible and interrupted; no permit is then held
     *     and no trace of the wait remains in the cluster
     * @throws io.github.namedsem.SemaphoreClosedException if the handle is closed meanwhile
     * @throws io.github.namedsem.SemaphoreRemovedException if the semaphore is removed
     */
    ClusterPermit acquire(boolean timed, long nanos, boolean interruptible) throws InterruptedException;

    /**
     * The number of free permits now, read once from the cluster.
     *
     * @return the count, never negative
     */
    int availablePermits();

    /**
     * The maximum stored with the semaphore.
     *
     * @return the maximum every handle enforces
     */
    int maxPermits();

    /**
     * Whether the call that opened this handle created the semaphore.
     *
     * @return {@code true} if it was created by this call
     */
    boolean created();

    /**
     * Where the semaphore lives, for messages and tools, such as a znode path.
     *
     * @return the cluster's name for it
     */
    String location();

    /**
     * Closes this handle: waits end, permits acquired through it are released. Called once.
     */
    void close();
}
