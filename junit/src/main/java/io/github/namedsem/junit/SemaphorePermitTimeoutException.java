package io.github.namedsem.junit;

/** A test waited {@link SemaphorePermit#timeout()} without getting a permit, and did not run. */
public final class SemaphorePermitTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SemaphorePermitTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
