package io.github.namedsem;

/**
 * Thrown when a handle is used after {@link NamedSemaphore#close()}, and to threads that were
 * waiting on it when it was closed.
 *
 * <p>The semaphore itself is unaffected: other handles, in this process or others, keep
 * working. A thread that receives this exception while waiting holds no permit.
 */
public class SemaphoreClosedException extends NamedSemaphoreException {
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
    public SemaphoreClosedException(String message, String semaphoreName, String osName, SemaphoreKind kind,
            int errorCode, String errorName) {
        super(message, semaphoreName, osName, kind, errorCode, errorName);
    }
}
