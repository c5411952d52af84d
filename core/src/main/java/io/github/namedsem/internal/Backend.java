package io.github.namedsem.internal;

/**
 * Creates, opens and removes one {@linkplain io.github.namedsem.SemaphoreKind kind} of named
 * semaphore on this platform. Arguments arrive already validated.
 */
public interface Backend {

    /**
     * Checks a name against the naming rule of this backend: the portable rule, plus what the
     * platform adds (Windows namespace prefixes).
     *
     * @param name the caller's name
     * @return the checked name
     * @throws IllegalArgumentException saying why the name is not allowed
     */
    default SemaphoreName name(String name) {
        return SemaphoreName.of(name);
    }

    /** What {@link #create} did. */
    record Opened(NativeSemaphore semaphore, boolean created) {}

    /**
     * Creates a semaphore, or with {@code openIfExists} opens the existing one of that name.
     *
     * @param name the checked name
     * @param initialPermits the count of a new semaphore, 0 to {@code maxPermits}
     * @param maxPermits the maximum count, 1 to {@link #maxPermitsLimit()}
     * @param mode permission bits for a new semaphore
     * @param openIfExists open an existing semaphore instead of failing
     * @return the handle, and whether this call created the semaphore
     * @throws io.github.namedsem.SemaphoreExistsException if it exists and not
     *     {@code openIfExists}
     */
    Opened create(SemaphoreName name, int initialPermits, int maxPermits, int mode, boolean openIfExists);

    /**
     * Opens an existing semaphore.
     *
     * @param name the checked name
     * @return the handle
     * @throws io.github.namedsem.NoSuchSemaphoreException if none has that name
     */
    NativeSemaphore open(SemaphoreName name);

    /**
     * Removes a name.
     *
     * @param name the checked name
     * @return {@code true} if removed, {@code false} if no semaphore had the name
     */
    boolean unlink(SemaphoreName name);

    /**
     * The largest count this kind supports on this platform.
     *
     * @return the limit, for argument checks before any native call
     */
    int maxPermitsLimit();
}
