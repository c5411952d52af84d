package io.github.namedsem.cli;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.SemaphoreAccessDeniedException;
import io.github.namedsem.SemaphoreExistsException;

/**
 * One line for stderr per failure: what failed, for which name, why, and what to type next.
 * The library's messages suggest Java calls; here the suggestions are namedsem commands.
 */
final class CliErrors {
    private CliErrors() {}

    static String oneLine(Throwable e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        String line = switch (e) {
            case NoSuchSemaphoreException m -> "no semaphore named " + display(m) + osError(m) + "; create it with"
                    + " 'namedsem create " + m.semaphoreName() + " --permits 2' (or run with --create)";
            // unlink and --mode do nothing on Windows: advise there only what works there.
            case SemaphoreExistsException m -> "a semaphore named " + display(m) + " already exists" + osError(m)
                    + "; add --exist-ok to use it as it is, or " + (isWindows()
                            ? "choose another name (on Windows it exists until every process holding it closes it)"
                            : "remove it first with 'namedsem unlink " + m.semaphoreName() + "'");
            case SemaphoreAccessDeniedException m -> "access to semaphore " + display(m) + " is denied" + osError(m)
                    + (isWindows()
                            ? "; its security descriptor does not grant you access: run as the user who created it"
                            : "; it belongs to another user or its mode excludes you: run as its owner, or have it"
                                    + " recreated with --mode 0660 or 0666");
            case Failure m -> why;
            case NamedSemaphoreException m -> why;
            case IllegalArgumentException m -> why;
            case UnsupportedOperationException m -> why;
            default -> e.getClass().getSimpleName() + ": " + why;
        };
        return "namedsem: " + line.replace('\n', ' ');
    }

    /** A failure namedsem itself detected, with a message that already says what to do. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Failure(String message) {
            super(message);
        }
    }

    private static String display(NamedSemaphoreException e) {
        return osName(e.semaphoreName());
    }

    /** The OS's name of the standard semaphore {@code name}: {@code /name} for POSIX, as it is on Windows. */
    static String osName(String name) {
        return name.contains("\\") || isWindows() ? name : "/" + name;
    }

    private static String osError(NamedSemaphoreException e) {
        return e.errorName() == null ? "" : " (" + e.errorName() + ")";
    }

    static boolean isWindows() {
        return System.getProperty("os.name", "").startsWith("Windows");
    }
}
