package io.github.namedsem;

/**
 * Whether a {@link Permit} is still held, as far as its holder can know.
 *
 * <p>Local kinds ({@link SemaphoreKind#STANDARD}, {@link SemaphoreKind#CRASH_SAFE}) are always
 * {@link #VALID}: the operating system cannot take a permit away from a living process. A
 * {@link SemaphoreKind#DISTRIBUTED distributed} permit belongs to a session with the cluster,
 * and the cluster ends sessions it stops hearing from; the state reports what the holder knows
 * of that.
 */
public enum PermitState {
    /** Held: the cluster confirmed this holder's session recently. */
    VALID,

    /**
     * The connection to the cluster is interrupted. The permit is still held if the session
     * survives (as it does through a leader election); if the connection does not return
     * before the session timeout the cluster gives the permit to somebody else. Work that must
     * not overlap with another holder's should pause here.
     */
    SUSPECT,

    /**
     * Gone: the session ended or the permit's record was removed; another holder may have it
     * now. Stop the work; {@link Permit#close()} throws {@link PermitLostException}.
     */
    LOST
}
