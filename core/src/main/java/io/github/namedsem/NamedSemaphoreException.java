package io.github.namedsem;

/**
 * Thrown when the operating system refuses an operation on a named semaphore, or when the
 * semaphore cannot be used any more.
 *
 * <p>The message always names the semaphore, the operating-system error where there is one
 * (its symbol, such as {@code EMFILE}, and its text), and what to do about it. Subclasses
 * distinguish the failures callers commonly handle; anything else (a resource limit, an
 * unexpected OS error) is thrown as this class itself.
 *
 * <p>A failed operation changes nothing: no permit is taken or added, and no semaphore is
 * created or removed, unless the subclass says otherwise.
 */
public class NamedSemaphoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The portable name of the semaphore. */
    private final String semaphoreName;
    /** The name as the OS knows it. */
    private final String osName;
    /** The kind of the semaphore. */
    private final SemaphoreKind kind;
    /** The OS error number, or 0. */
    private final int errorCode;
    /** The symbol of the OS error, or null. */
    private final String errorName;

    /**
     * Creates an exception for the named semaphore.
     *
     * @param message the complete message: what failed, for which name, why, and what to do
     * @param semaphoreName the semaphore's portable name, as {@link NamedSemaphore#name()}
     *     reports it
     * @param osName the name as the operating system knows it, as
     *     {@link NamedSemaphore#osName()} reports it
     * @param kind the kind of the semaphore
     * @param errorCode the operating system's error number ({@code errno}, or the Windows
     *     error code), or {@code 0} where the failure did not come from the OS
     * @param errorName the symbol of {@code errorCode}, such as {@code "ENOENT"}, or
     *     {@code null} where there is none
     */
    public NamedSemaphoreException(String message, String semaphoreName, String osName, SemaphoreKind kind,
                                   int errorCode, String errorName) {
        super(message);
        this.semaphoreName = semaphoreName;
        this.osName = osName;
        this.kind = kind;
        this.errorCode = errorCode;
        this.errorName = errorName;
    }

    /**
     * The portable name of the semaphore the failed operation was about.
     *
     * @return the name, as {@link NamedSemaphore#name()} reports it
     */
    public String semaphoreName() {
        return semaphoreName;
    }

    /**
     * The name of the semaphore as the operating system knows it, for use with other tools.
     *
     * @return such as {@code "/jobs"} (POSIX), {@code "jobs"} (Windows) or
     *     {@code "sysv:0x1a2b3c4d"} (crash-safe), as {@link NamedSemaphore#osName()} reports it
     */
    public String osName() {
        return osName;
    }

    /**
     * The kind of the semaphore the failed operation was about.
     *
     * @return the kind
     */
    public SemaphoreKind kind() {
        return kind;
    }

    /**
     * The operating system's error number behind this failure.
     *
     * @return {@code errno} on POSIX systems, the {@code GetLastError()} code on Windows, or
     *     {@code 0} where the failure was detected by namedsem itself
     */
    public int errorCode() {
        return errorCode;
    }

    /**
     * The symbol of {@link #errorCode()}.
     *
     * @return a symbol such as {@code "EACCES"} or {@code "ERROR_TOO_MANY_POSTS"}, or
     *     {@code null} where {@link #errorCode()} is {@code 0}
     */
    public String errorName() {
        return errorName;
    }
}
