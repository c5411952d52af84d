package io.github.namedsem;

/**
 * Thrown when a release would raise the count past the semaphore's maximum.
 *
 * <p>No permit was added. How strictly the maximum is enforced depends on the kind and the
 * platform: see {@link NamedSemaphore#release(int)}.
 */
public class PermitLimitExceededException extends NamedSemaphoreException {
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
    public PermitLimitExceededException(String message, String semaphoreName, String osName, SemaphoreKind kind,
            int errorCode, String errorName) {
        super(message, semaphoreName, osName, kind, errorCode, errorName);
    }
}
