package io.github.namedsem;


/**
 * One permit held in a {@link SemaphoreCluster}, owned by the holder's session.
 */
public interface ClusterPermit {

    /**
     * What the holder knows of the permit now.
     *
     * @return the state; once {@link PermitState#LOST}, it stays so
     */
    PermitState state();

    /**
     * Registers an action to run once when the permit is lost (at once if it already is).
     * Not run when the permit is released normally.
     *
     * @param action what to run, on a thread of the provider's choosing; it must not block long
     */
    void onLost(Runnable action);

    /**
     * A fencing token: larger for every permit granted later on the same semaphore.
     *
     * @return the token
     */
    long token();

    /**
     * Which of the semaphore's slots this permit occupies.
     *
     * @return 0 to {@code maxPermits - 1}
     */
    int slot();

    /**
     * Gives the permit back. Called at most once.
     *
     * @throws io.github.namedsem.PermitLostException if the permit was lost before
     * @throws io.github.namedsem.SemaphoreUnavailableException if the cluster cannot be reached;
     *     the permit then comes back when the session ends
     */
    void release();
}
