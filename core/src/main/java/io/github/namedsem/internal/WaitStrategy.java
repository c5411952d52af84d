package io.github.namedsem.internal;

/**
 * How a thread that found no free permit waits for one. There are two, because a platform
 * thread may block in a native call and a virtual thread must not: {@link DirectWait} and
 * {@link PermitPump}. {@link SemaphoreHandle} picks one per call.
 */
interface WaitStrategy {

    /**
     * Waits for one permit and takes it.
     *
     * <p>A permit is never taken without the caller knowing: if a permit is obtained in the
     * same moment as an interrupt, the method returns {@code true} and leaves the interrupt
     * status set.
     *
     * @param timed whether {@code nanos} limits the wait; if {@code false} it waits until a
     *     permit comes, the handle is closed, or (if {@code interruptible}) an interrupt
     * @param nanos how long to wait, when {@code timed}; zero or negative gives up at once
     * @param interruptible whether an interrupt ends the wait with {@link InterruptedException};
     *     otherwise it is remembered and the interrupt status set on return
     * @return {@code true} holding a permit; {@code false} only when {@code timed} and the time
     *     ran out
     * @throws InterruptedException if {@code interruptible} and interrupted before a permit was
     *     taken; the interrupt status is then cleared
     * @throws io.github.namedsem.SemaphoreClosedException if the handle is closed before or
     *     during the wait
     * @throws io.github.namedsem.NamedSemaphoreException if the native wait fails
     */
    default boolean await(boolean timed, long nanos, boolean interruptible) throws InterruptedException {
        return await(1, timed, nanos, interruptible);
    }

    /**
     * Waits for {@code permits} permits and takes them all in one atomic step; otherwise as
     * {@link #await(boolean, long, boolean)}. Only for a native semaphore that
     * {@linkplain NativeSemaphore#takesSeveralAtomically() takes several atomically}.
     *
     * @param permits how many, at least 1
     * @param timed whether {@code nanos} limits the wait
     * @param nanos how long to wait, when {@code timed}
     * @param interruptible whether an interrupt ends the wait
     * @return {@code true} holding all of them, {@code false} holding none when the time ran out
     * @throws InterruptedException as for {@link #await(boolean, long, boolean)}
     */
    boolean await(int permits, boolean timed, long nanos, boolean interruptible) throws InterruptedException;

    /**
     * Ends every wait in progress with the closed exception and refuses new ones. Called once,
     * after the handle's guard has begun closing and before it waits for calls to drain.
     */
    void close();
}
