package io.github.namedsem.internal.windows;

import io.github.namedsem.NamedSemaphoreException;
import io.github.namedsem.NoSuchSemaphoreException;
import io.github.namedsem.PermitLimitExceededException;
import io.github.namedsem.SemaphoreAccessDeniedException;
import io.github.namedsem.SemaphoreExistsException;
import io.github.namedsem.internal.SemaphoreName;

import static io.github.namedsem.SemaphoreKind.STANDARD;
import io.github.namedsem.windows.WinError;

/**
 * Turns a failed Win32 call into the exception a caller can act on: which semaphore, which
 * call, the error code with its symbol and the system's text, and what to do. Pure Java, so
 * that every message is tested on any platform; the system text is passed in.
 */
public final class WindowsErrors {
    private WindowsErrors() {}

    /**
     * The exception for a failed call.
     *
     * @param call the Win32 function that failed
     * @param name the semaphore
     * @param code {@code GetLastError()} after the call
     * @param systemText {@code FormatMessageW}'s text for the code, or {@code null}
     * @return the exception to throw
     */
    public static NamedSemaphoreException failure(String call, SemaphoreName name, int code, String systemText) {
        String n = name.windows();
        String symbol = WinError.name(code);
        String os = " (" + call + ": " + symbol + " (" + Integer.toUnsignedString(code) + ")"
                + (systemText == null || systemText.isBlank() ? "" : ", " + systemText) + ")";
        return switch (code) {
            case WinError.ERROR_FILE_NOT_FOUND -> new NoSuchSemaphoreException("No semaphore named " + n + " exists" + os
                    + ". Create it first with NamedSemaphore.create(\"" + n + "\", permits), or use openOrCreate."
                    + " On Windows a semaphore exists only while some process has a handle to it.",
                    name.portable(), n, STANDARD, code, symbol);
            case WinError.ERROR_ALREADY_EXISTS -> new SemaphoreExistsException("A semaphore named " + n
                    + " already exists" + os + ". Open it with NamedSemaphore.open(\"" + n + "\") or use openOrCreate.",
                    name.portable(), n, STANDARD, code, symbol);
            case WinError.ERROR_ACCESS_DENIED -> new SemaphoreAccessDeniedException("Access to semaphore " + n
                    + " is denied" + os + ". Its security descriptor does not grant this user the rights to wait,"
                    + " release and query; objects created by services or other users usually need the Global\\"
                    + " prefix and a descriptor that grants access (see io.github.namedsem.windows.Kernel32).",
                    name.portable(), n, STANDARD, code, symbol);
            // Only a call that takes a name can mean the name; on a handle it means the handle.
            case WinError.ERROR_INVALID_HANDLE -> takesName(call)
                    ? new NamedSemaphoreException("The name " + n + " belongs to another kind of kernel object"
                            + " (a mutex, event, timer, job or file mapping)" + os
                            + ". These share one namespace with semaphores; choose another name.",
                            name.portable(), n, STANDARD, code, symbol)
                    : new NamedSemaphoreException("Windows says the handle of semaphore " + n + " is invalid" + os
                            + ". namedsem never uses a handle after closing it, so some other code in this process"
                            + " closed it (CloseHandle on a value it did not own); please report this with the stack"
                            + " trace.", name.portable(), n, STANDARD, code, symbol);
            case WinError.ERROR_PATH_NOT_FOUND, WinError.ERROR_BAD_PATHNAME, WinError.ERROR_INVALID_NAME ->
                    new NamedSemaphoreException("Windows rejected the name " + n + os + ". Only the prefixes"
                            + " Global\\ and Local\\ may contain a backslash.", name.portable(), n, STANDARD, code, symbol);
            default -> new NamedSemaphoreException("Semaphore " + n + ": " + call + " failed" + os + ".", name.portable(), n, STANDARD, code, symbol);
        };
    }

    private static boolean takesName(String call) {
        return call.equals("CreateSemaphoreExW") || call.equals("OpenSemaphoreW");
    }

    /**
     * The exception for {@code ERROR_TOO_MANY_POSTS}: the kernel refused the release atomically.
     *
     * @param name the semaphore
     * @param permits how many permits the caller tried to release
     * @param count the count now, as far as known
     * @param max the semaphore's maximum
     * @return the exception to throw
     */
    public static PermitLimitExceededException tooManyPosts(SemaphoreName name, int permits, int count, int max) {
        return new PermitLimitExceededException("Releasing " + permits + " permit(s) on semaphore " + name.windows()
                + " would raise its count (" + count + ") past its maximum of " + max
                + " (ReleaseSemaphore: ERROR_TOO_MANY_POSTS (298)); nothing was released."
                + " Release only permits that were acquired.",
                name.portable(), name.windows(), STANDARD, WinError.ERROR_TOO_MANY_POSTS, WinError.name(WinError.ERROR_TOO_MANY_POSTS));
    }
}
