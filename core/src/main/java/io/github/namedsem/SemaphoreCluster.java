package io.github.namedsem;

/**
 * A cluster that keeps named semaphores for many machines: creates, opens and removes them.
 * Implemented by provider modules (for ZooKeeper: {@code io.github.namedsem.zookeeper}).
 *
 * <p>With {@link ClusterSemaphore} and {@link ClusterPermit}, this is the service-provider
 * interface of the {@link SemaphoreKind#DISTRIBUTED distributed} kind. Applications do not call
 * these types: they pass a cluster to {@link SemaphoreOptions#cluster(SemaphoreCluster)} and use
 * {@link NamedSemaphore} as for any other kind. Core checks names and counts before calling a
 * provider, guards handles against use after close, and turns the provider's permits into
 * {@link Permit}s.
 *
 * <p>Names arrive checked against the portable naming rule and without a leading slash.
 * Implementations must be safe for concurrent use.
 */
public interface SemaphoreCluster {

    /**
     * Creates a semaphore whose every permit is free, or with {@code openIfExists} opens the
     * existing one of that name, which must have the same maximum.
     *
     * @param name the checked portable name
     * @param initialPermits the count to start with, 0 to {@code maxPermits}; a provider that
     *     cannot start below the maximum throws {@link IllegalArgumentException} saying so
     * @param maxPermits the maximum, 1 to {@link #maxPermitsLimit()}
     * @param openIfExists open an existing semaphore instead of failing
     * @return a handle; {@link ClusterSemaphore#created()} tells whether this call created it
     * @throws io.github.namedsem.SemaphoreExistsException if it exists and not
     *     {@code openIfExists}
     * @throws IllegalArgumentException if it exists with another maximum; nothing changes
     * @throws io.github.namedsem.SemaphoreUnavailableException if the cluster cannot be reached
     */
    ClusterSemaphore create(String name, int initialPermits, int maxPermits, boolean openIfExists);

    /**
     * Opens an existing semaphore.
     *
     * @param name the checked portable name
     * @return a handle
     * @throws io.github.namedsem.NoSuchSemaphoreException if none has that name
     * @throws io.github.namedsem.SemaphoreUnavailableException if the cluster cannot be reached
     */
    ClusterSemaphore open(String name);

    /**
     * Removes a semaphore; its permits end with it, and handles elsewhere see
     * {@link io.github.namedsem.SemaphoreRemovedException}.
     *
     * @param name the checked portable name
     * @return {@code true} if removed, {@code false} if no semaphore had the name
     * @throws io.github.namedsem.SemaphoreUnavailableException if the cluster cannot be reached
     */
    boolean unlink(String name);

    /**
     * The largest maximum this cluster supports.
     *
     * @return the limit, checked before any call to {@link #create}
     */
    int maxPermitsLimit();
}
