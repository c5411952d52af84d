package io.github.namedsem;

/**
 * Thrown when a {@link SemaphoreKind#DISTRIBUTED distributed} semaphore cannot be reached: the
 * cluster did not answer (no connection, no quorum) within the client's time limit.
 *
 * <p>Nothing is known to have changed: an acquire that fails this way holds no permit (any
 * permit it may have taken at the cluster is given back when the cluster is reached again, or
 * with the session). Retry later, or treat the resource as unavailable.
 */
public class SemaphoreUnavailableException extends NamedSemaphoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the complete message: what failed, for which name, why, what to do
     * @param semaphoreName the semaphore's portable name, or {@code ""} when no semaphore was
     *     involved yet (connecting)
     * @param osName where the cluster keeps it, as {@link NamedSemaphore#osName()} reports it,
     *     or {@code ""}
     * @param cause the client library's failure, or {@code null}
     */
    @SuppressWarnings("this-escape") // only Throwable.initCause, which sees every field it needs set
    public SemaphoreUnavailableException(String message, String semaphoreName, String osName, Throwable cause) {
        super(message, semaphoreName, osName, SemaphoreKind.DISTRIBUTED, 0, null);
        if (cause != null) {
            initCause(cause);
        }
    }
}
