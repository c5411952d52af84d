package io.github.namedsem;

/**
 * Thrown when the operating system denies this process access to the named semaphore.
 *
 * <p>On POSIX systems the semaphore's owner and mode decide (see
 * {@link SemaphoreOptions#mode(int)}); on Windows its security descriptor does. Nothing was
 * changed.
 */
public class SemaphoreAccessDeniedException extends NamedSemaphoreException {
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
    public SemaphoreAccessDeniedException(String message, String semaphoreName, String osName, SemaphoreKind kind,
            int errorCode, String errorName) {
        super(message, semaphoreName, osName, kind, errorCode, errorName);
    }
}
