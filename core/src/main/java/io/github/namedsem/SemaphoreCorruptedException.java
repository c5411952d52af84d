package io.github.namedsem;

/**
 * Thrown when what lies under a semaphore's name is not a usable semaphore: a file that is not
 * a regular file or is shorter than a semaphore (planted, or truncated by another process), a
 * mapping that faults because the file was shrunk after this handle opened it, or a count or
 * waiter word no semaphore can hold (written over by another process).
 *
 * <p>The message names the file, its size and owner where known, and what to do. Only the
 * handle that met the damage is affected, and the operation that threw changed nothing that it
 * could still see: no permit was taken or added through this handle. Other processes using the
 * same file may misbehave too (a C program may crash on it); remove the name with
 * {@link NamedSemaphore#unlink(String)} and create it again, after finding out who damaged it
 * (see {@link SemaphoreOptions#refuseForeignOwner(boolean)} against names planted by another
 * user).
 */
public class SemaphoreCorruptedException extends NamedSemaphoreException {
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
    public SemaphoreCorruptedException(String message, String semaphoreName, String osName, SemaphoreKind kind,
            int errorCode, String errorName) {
        super(message, semaphoreName, osName, kind, errorCode, errorName);
    }
}
