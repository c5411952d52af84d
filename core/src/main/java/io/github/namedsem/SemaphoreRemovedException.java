package io.github.namedsem;

/**
 * Thrown when a {@link SemaphoreKind#CRASH_SAFE crash-safe} semaphore is removed (unlinked) by
 * any process while this handle uses it; waiting threads get it too.
 *
 * <p>The semaphore is gone for every process; nothing is held through it any more. Create it
 * anew if the work must go on.
 */
public class SemaphoreRemovedException extends NamedSemaphoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the complete message: what failed, for which name, why, and what to do
     * @param semaphoreName the semaphore's portable name
     * @param osName the name as the operating system knows it
     * @param kind the kind of the semaphore
     * @param errorCode the operating system's error number, or {@code 0}
     * @param errorName the symbol of {@code errorCode}, or {@code null}
     */
    public SemaphoreRemovedException(String message, String semaphoreName, String osName, SemaphoreKind kind,
            int errorCode, String errorName) {
        super(message, semaphoreName, osName, kind, errorCode, errorName);
    }
}
