package io.github.namedsem;

/**
 * Thrown when a semaphore is opened, or removed, by a name that no semaphore has.
 *
 * <p>Create it first ({@link NamedSemaphore#create(String, int)}), or use
 * {@link NamedSemaphore#openOrCreate(String, int, int)} when any process may be the first.
 */
public class NoSuchSemaphoreException extends NamedSemaphoreException {
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
    public NoSuchSemaphoreException(String message, String semaphoreName, String osName, SemaphoreKind kind,
            int errorCode, String errorName) {
        super(message, semaphoreName, osName, kind, errorCode, errorName);
    }
}
