package io.github.namedsem.internal.sysv;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.PermitLimitExceededException;
import io.github.namedsem.SemaphoreAccessDeniedException;
import io.github.namedsem.SemaphoreExistsException;
import io.github.namedsem.SemaphoreRemovedException;
import io.github.namedsem.internal.SemaphoreName;

/** The exceptions of the crash-safe kind, with the set's key, the call, errno and what to do. */
final class SysvErrors {
    private SysvErrors() {}

    private static final String[][] ERRNO = {
        {"1", "EPERM", "Operation not permitted"}, {"2", "ENOENT", "No such file or directory"},
        {"4", "EINTR", "Interrupted system call"},
        {"23", "ENFILE", "Too many open files in system"}, {"24", "EMFILE", "Too many open files"},
        {"40", "ELOOP", "Too many levels of symbolic links"}, {"11", "EAGAIN", "Resource temporarily unavailable"},
        {"13", "EACCES", "Permission denied"}, {"17", "EEXIST", "File exists"},
        {"22", "EINVAL", "Invalid argument"}, {"28", "ENOSPC", "No space left on device"},
        {"34", "ERANGE", "Numerical result out of range"}, {"43", "EIDRM", "Identifier removed"},
    };

    static String symbol(int errno) {
        for (String[] e : ERRNO) {
            if (Integer.parseInt(e[0]) == errno) {
                return e[1];
            }
        }
        return "errno " + errno;
    }

    private static String text(int errno) {
        for (String[] e : ERRNO) {
            if (Integer.parseInt(e[0]) == errno) {
                return e[2];
            }
        }
        return "unknown error";
    }

    static String describe(SemaphoreName name) {
        return "crash-safe semaphore " + name.portable() + String.format(" (System V key 0x%08x)", SysvKeys.keyOf(name));
    }

    static NamedSemaphoreException failure(String call, SemaphoreName name, int errno) {
        String what = describe(name);
        String os = " (" + call + ": " + symbol(errno) + ", " + text(errno) + ")";
        String p = name.portable();
        return switch (errno) {
            case SysV.ENOENT -> new NoSuchSemaphoreException("No " + what + " exists" + os + ". Create it first with"
                    + " NamedSemaphore.create(\"" + p + "\", permits, SemaphoreOptions.defaults().kind(CRASH_SAFE)).",
                    p, errno, symbol(errno));
            case SysV.EEXIST -> new SemaphoreExistsException("A " + what + " already exists" + os + ". Open it, use"
                    + " openOrCreate, or remove it with NamedSemaphore.unlink(\"" + p + "\", crash-safe options).",
                    p, errno, symbol(errno));
            case SysV.EACCES, SysV.EPERM -> new SemaphoreAccessDeniedException("Access to " + what + " is denied" + os
                    + ". Its owner and mode decide (ipcs -s -i ID shows them); have it created with a mode that"
                    + " includes you.", p, errno, symbol(errno));
            case SysV.EIDRM, SysV.EINVAL -> new SemaphoreRemovedException("The " + what + " was removed by another"
                    + " process" + os + "; nothing is held through it any more. Create it anew to go on.",
                    p, errno, symbol(errno));
            case MarkerIo.EMFILE, MarkerIo.ENFILE -> new NamedSemaphoreException("Cannot use " + what + os + ": this"
                    + (errno == MarkerIo.EMFILE ? " process has reached its limit of open files (ulimit -n)"
                    : " system has reached its limit of open files (fs.file-max)") + ". Nothing was changed; close"
                    + " files or raise the limit, then try again.", p, errno, symbol(errno));
            case 28 -> new NamedSemaphoreException("Cannot create " + what + os + ": the system's limit on System V"
                    + " semaphore sets is reached (see /proc/sys/kernel/sem and ipcs -s); remove unused sets.",
                    p, errno, symbol(errno));
            default -> new NamedSemaphoreException(what + ": " + call + " failed" + os + ".", p, errno, symbol(errno));
        };
    }

    static PermitLimitExceededException limitExceeded(SemaphoreName name, int permits, int count, int max) {
        return new PermitLimitExceededException("Releasing " + permits + " permit(s) on " + describe(name)
                + " would raise its count (" + count + ") past its maximum of " + max + "; nothing was released"
                + " (the check and the release are one atomic semop).", name.portable(), SysV.EAGAIN, "EAGAIN");
    }
}
