package io.github.namedsem.internal.posix;

import io.github.namedsem.internal.platform.Errno;
import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.PermitLimitExceededException;
import io.github.namedsem.SemaphoreAccessDeniedException;
import io.github.namedsem.SemaphoreExistsException;
import io.github.namedsem.internal.SemaphoreName;

import static io.github.namedsem.SemaphoreKind.STANDARD;

/**
 * Turns a failed POSIX call into the exception a caller can act on: which semaphore, which
 * call, the errno symbol and text, and what to do.
 */
final class PosixErrors {
    private PosixErrors() {}

    static NamedSemaphoreException failure(String call, SemaphoreName name, int errno) {
        String n = name.posix();
        String os = " (" + call + ": " + Errno.symbol(errno) + ", " + Errno.text(errno) + ")";
        String p = name.portable();
        return switch (errno) {
            case Errno.ENOENT -> new NoSuchSemaphoreException("No semaphore named " + n + " exists" + os
                    + ". Create it first with NamedSemaphore.create(\"" + p + "\", permits), or use openOrCreate"
                    + " when any process may be the first.", p, n, STANDARD, errno, Errno.symbol(errno));
            case Errno.EEXIST -> new SemaphoreExistsException("A semaphore named " + n + " already exists" + os
                    + ". Open it with NamedSemaphore.open(\"" + p + "\"), use openOrCreate, or remove the stale one"
                    + " with NamedSemaphore.unlink(\"" + p + "\").", p, n, STANDARD, errno, Errno.symbol(errno));
            case Errno.EACCES, Errno.EPERM -> new SemaphoreAccessDeniedException("Access to semaphore " + n
                    + " is denied to this user" + os + ". Its owner and mode decide (see ls -l /dev/shm/sem."
                    + p + "): run as its owner, or have it created with a mode that includes your group or others,"
                    + " e.g. SemaphoreOptions.defaults().mode(0660).", p, n, STANDARD, errno, Errno.symbol(errno));
            case Errno.ELOOP -> SemFile.corrupted(name, SemFile.pathOf(name) + " is a symbolic link, and a semaphore is"
                    + " a regular file" + os, errno);
            case Errno.ENODEV -> SemFile.corrupted(name, SemFile.pathOf(name) + " is not a regular file" + os, errno);
            case Errno.EMFILE -> generic("Cannot open semaphore " + n + ": this process has reached its limit"
                    + " of open files" + os + ". Close semaphores and files it no longer needs, or raise the"
                    + " limit (ulimit -n, RLIMIT_NOFILE).", name, errno);
            case Errno.ENFILE -> generic("Cannot open semaphore " + n + ": the system has reached its limit"
                    + " of open files" + os + ". Close unused files, or raise fs.file-max.", name, errno);
            case Errno.ENOMEM, Errno.ENOSPC -> generic("Cannot create or map semaphore " + n + os
                    + ": /dev/shm or memory is exhausted. Free space in /dev/shm (df /dev/shm) and remove"
                    + " semaphores no longer used (namedsem list / unlink).", name, errno);
            default -> generic("Semaphore " + n + ": " + call + " failed" + os + ".", name, errno);
        };
    }

    static PermitLimitExceededException limitExceeded(SemaphoreName name, int before, int permits, long limit,
                                                      String whose) {
        return new PermitLimitExceededException("Releasing " + permits + " permit(s) on semaphore " + name.posix()
                + " would raise its count from " + before + " past " + whose + " of " + limit
                + "; nothing was released. Release only permits that were acquired.",
                name.portable(), name.posix(), STANDARD, 0, null);
    }

    private static NamedSemaphoreException generic(String message, SemaphoreName name, int errno) {
        return new NamedSemaphoreException(message, name.portable(), name.posix(), STANDARD, errno, Errno.symbol(errno));
    }
}
