package io.github.namedsem;

/**
 * Thrown when a {@link SemaphoreKind#DISTRIBUTED distributed} permit turns out to have been
 * lost: its holder's session with the cluster ended (or the semaphore was removed) while the
 * permit was held, so another holder may have had it meanwhile.
 *
 * <p>Work done under the permit after it was lost was not protected by the semaphore; only a
 * resource that checks {@link Permit#token()} (fencing) can refuse such work.
 */
public class PermitLostException extends NamedSemaphoreException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message the complete message: which permit, why it was lost, what to do
     * @param semaphoreName the semaphore's portable name
     * @param osName where the cluster keeps it, as {@link NamedSemaphore#osName()} reports it
     */
    public PermitLostException(String message, String semaphoreName, String osName) {
        super(message, semaphoreName, osName, SemaphoreKind.DISTRIBUTED, 0, null);
    }
}
