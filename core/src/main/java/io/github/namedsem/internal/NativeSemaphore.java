package io.github.namedsem.internal;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One open operating-system semaphore, as a backend sees it: the raw operations and nothing
 * else.
 *
 * <p>Implementations do not guard against use after close: {@link HandleGuard} brackets every
 * call so that no method runs on a closed handle, and {@link #close()} runs exactly once, after
 * every other call has returned. Waiting, queueing, interrupts and timeouts live above, in
 * {@link PermitPump}; a backend only offers bounded native waits.
 */
public interface NativeSemaphore {

    /**
     * Takes one permit if one is free, without blocking.
     *
     * @return {@code true} if a permit was taken
     */
    boolean tryAcquire();

    /**
     * Waits at most {@code nanos} for one permit and takes it. May return early without a
     * permit (for example when a signal interrupts the native wait); callers loop.
     *
     * @param nanos how long the native call may block; small, so that close is never held up
     * @return {@code true} if a permit was taken
     */
    boolean awaitPermit(long nanos);

    /**
     * Whether {@link #tryAcquire(int)} and {@link #awaitPermits(int, long)} take several
     * permits in one atomic step. Kinds that can only take one at a time must not emulate it
     * with a loop: a loop can hold K-1 permits while waiting for the last, and two such
     * loops deadlock.
     *
     * @return {@code true} if more than one permit can be taken atomically
     */
    default boolean takesSeveralAtomically() {
        return false;
    }

    /**
     * Takes {@code permits} permits at once if that many are free, without blocking.
     *
     * @param permits how many, at least 1; more than 1 only if {@link #takesSeveralAtomically()}
     * @return {@code true} if all were taken, {@code false} if none was
     */
    default boolean tryAcquire(int permits) {
        if (permits != 1) {
            throw new UnsupportedOperationException("takes one permit at a time");
        }
        return tryAcquire();
    }

    /**
     * Waits at most {@code nanos} for {@code permits} permits and takes them all at once; may
     * return early without any, like {@link #awaitPermit(long)}.
     *
     * @param permits how many, at least 1; more than 1 only if {@link #takesSeveralAtomically()}
     * @param nanos how long the native call may block
     * @return {@code true} if all were taken, {@code false} if none was
     */
    default boolean awaitPermits(int permits, long nanos) {
        if (permits != 1) {
            throw new UnsupportedOperationException("takes one permit at a time");
        }
        return awaitPermit(nanos);
    }

    /**
     * Adds permits.
     *
     * @param permits how many, at least 1
     * @return the count just before this release: exact where the OS reports it atomically,
     *     otherwise a snapshot read immediately before
     * @throws io.github.namedsem.PermitLimitExceededException if the count would pass the
     *     maximum, having added none
     */
    int release(int permits);

    /**
     * The number of free permits now.
     *
     * @return the count; never negative
     */
    int availablePermits();

    /**
     * The maximum count this handle knows of.
     *
     * @return the maximum, or empty where the OS does not record one for semaphores this handle
     *     did not create
     */
    OptionalInt maxPermits();

    /**
     * The name as the operating system knows it, such as {@code /jobs}.
     *
     * @return the OS-level name
     */
    String osName();

    /**
     * How many processes wait for a permit, where the kernel reports it.
     *
     * @return the number of waiters, or empty where the OS does not say
     */
    default OptionalInt waiters() {
        return OptionalInt.empty();
    }

    /**
     * The process that changed the count last, where the kernel records it.
     *
     * @return its pid, or empty where the OS does not say
     */
    default OptionalLong lastOperationPid() {
        return OptionalLong.empty();
    }

    /** Releases the native handle. Called exactly once, with no other call in flight. */
    void close();

    /** What {@link #releaseWithoutWaking} returns when the release needs a wake-up. */
    int MUST_WAKE = -1;

    /**
     * Whether {@link #tryAcquire()}, {@link #availablePermits()} and
     * {@link #releaseWithoutWaking(int)} may be called without the {@link HandleGuard}, even
     * racing or after {@link #close()}: they then throw {@link IllegalStateException} and do
     * nothing. Such implementations keep their state in memory of a shared arena that
     * {@code close()} closes.
     *
     * @return {@code true} for such implementations; {@code false} by default
     */
    default boolean guardsItself() {
        return false;
    }

    /**
     * Adds permits if that wakes nobody; only for implementations that {@linkplain
     * #guardsItself() guard themselves}, called without the guard.
     *
     * @param permits how many, at least 1
     * @return the count just before, or {@link #MUST_WAKE} having added nothing: waiters are
     *     registered, so call {@link #release(int)} under the guard
     * @throws io.github.namedsem.PermitLimitExceededException as {@link #release(int)}
     */
    default int releaseWithoutWaking(int permits) {
        return MUST_WAKE;
    }

    /**
     * The exception for a memory fault on a semaphore that {@linkplain #guardsItself() guards
     * itself}: the JVM reports a fault on mapped memory (SIGBUS, the file was truncated) as an
     * {@link InternalError}, delivered asynchronously, so it may surface a frame or two above
     * the access.
     *
     * @param fault what the JVM threw
     * @return the exception to throw instead
     */
    default RuntimeException faulted(InternalError fault) {
        throw fault;
    }

    /**
     * The user id that owns the semaphore, as found when it was opened.
     *
     * @return the owner's numeric uid, or empty where this kind records none
     */
    default OptionalInt ownerUid() {
        return OptionalInt.empty();
    }

    /**
     * Whether the semaphore is owned by this process's effective user.
     *
     * @return {@code false} where unknown
     */
    default boolean ownedByCaller() {
        return false;
    }
}
