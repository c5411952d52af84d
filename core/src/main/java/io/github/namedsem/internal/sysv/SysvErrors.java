package io.github.namedsem.internal.sysv;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.PermitLimitExceededException;
import io.github.namedsem.SemaphoreAccessDeniedException;
import io.github.namedsem.SemaphoreExistsException;
import io.github.namedsem.SemaphoreRemovedException;
import io.github.namedsem.internal.SemaphoreName;

import static io.github.namedsem.SemaphoreKind.CRASH_SAFE;
import io.github.namedsem.internal.platform.Errno;

/** The exceptions of the crash-safe kind, with the set's key, the call, errno and what to do. */
final class SysvErrors {
    private SysvErrors() {}

    static String describe(SemaphoreName name) {
        return "crash-safe semaphore " + name.portable() + String.format(" (System V key 0x%08x)", SysvKeys.keyOf(name));
    }

    static NamedSemaphoreException failure(String call, SemaphoreName name, int errno) {
        String what = describe(name);
        String os = " (" + call + ": " + Errno.symbol(errno) + ", " + Errno.text(errno) + ")";
        String p = name.portable();
        return switch (errno) {
            case Errno.ENOENT -> new NoSuchSemaphoreException("No " + what + " exists" + os + ". Create it first with"
                    + " NamedSemaphore.create(\"" + p + "\", permits, SemaphoreOptions.defaults().kind(CRASH_SAFE)).",
                    p, SysvKeys.osName(name), CRASH_SAFE, errno, Errno.symbol(errno));
            case Errno.EEXIST -> new SemaphoreExistsException("A " + what + " already exists" + os + ". Open it, use"
                    + " openOrCreate, or remove it with NamedSemaphore.unlink(\"" + p + "\", crash-safe options).",
                    p, SysvKeys.osName(name), CRASH_SAFE, errno, Errno.symbol(errno));
            case Errno.EACCES, Errno.EPERM -> new SemaphoreAccessDeniedException("Access to " + what + " is denied" + os
                    + ". Its owner and mode decide (ipcs -s -i ID shows them); have it created with a mode that"
                    + " includes you.", p, SysvKeys.osName(name), CRASH_SAFE, errno, Errno.symbol(errno));
            case Errno.EIDRM, Errno.EINVAL -> new SemaphoreRemovedException("The " + what + " was removed by another"
                    + " process" + os + "; nothing is held through it any more. Create it anew to go on.",
                    p, SysvKeys.osName(name), CRASH_SAFE, errno, Errno.symbol(errno));
            case Errno.EMFILE, Errno.ENFILE -> new NamedSemaphoreException("Cannot use " + what + os + ": this"
                    + (errno == Errno.EMFILE ? " process has reached its limit of open files (ulimit -n)"
                    : " system has reached its limit of open files (fs.file-max)") + ". Nothing was changed; close"
                    + " files or raise the limit, then try again.", p, SysvKeys.osName(name), CRASH_SAFE, errno,
                    Errno.symbol(errno));
            case 28 -> new NamedSemaphoreException("Cannot create " + what + os + ": the system's limit on System V"
                    + " semaphore sets is reached (see /proc/sys/kernel/sem and ipcs -s); remove unused sets.",
                    p, SysvKeys.osName(name), CRASH_SAFE, errno, Errno.symbol(errno));
            default -> new NamedSemaphoreException(what + ": " + call + " failed" + os + ".", p, SysvKeys.osName(name), CRASH_SAFE, errno, Errno.symbol(errno));
        };
    }

    static PermitLimitExceededException limitExceeded(SemaphoreName name, int permits, int count, int max) {
        return new PermitLimitExceededException("Releasing " + permits + " permit(s) on " + describe(name)
                + " would raise its count (" + count + ") past its maximum of " + max + "; nothing was released"
                + " (the check and the release are one atomic semop).", name.portable(), SysvKeys.osName(name), CRASH_SAFE, Errno.EAGAIN, "EAGAIN");
    }
}
