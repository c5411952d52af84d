package io.github.namedsem;

/**
 * Thrown by the {@code create} factories when a semaphore of that name already exists.
 *
 * <p>Nothing was changed: the existing semaphore keeps its count and permissions. Open it with
 * {@link NamedSemaphore#open(String)}, use {@link NamedSemaphore#openOrCreate(String, int, int)},
 * or remove the stale one with {@link NamedSemaphore#unlink(String)}.
 */
public class SemaphoreExistsException extends NamedSemaphoreException {
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
    public SemaphoreExistsException(String message, String semaphoreName, String osName, SemaphoreKind kind,
            int errorCode, String errorName) {
        super(message, semaphoreName, osName, kind, errorCode, errorName);
    }
}
