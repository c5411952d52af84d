package io.github.namedsem.internal.platform;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Map;

/**
 * The Linux {@code errno} values namedsem acts on (x86_64 and aarch64 share them), with their
 * symbols and texts; one table for every Linux backend. Other POSIX systems number some
 * differently (macOS: {@code EAGAIN} 35, {@code ETIMEDOUT} 60), so a port there brings its own.
 */
public final class Errno {
    private Errno() {}

    /** Operation not permitted. */
    public static final int EPERM = 1;
    /** No such file or directory. */
    public static final int ENOENT = 2;
    /** Interrupted system call. */
    public static final int EINTR = 4;
    /** Resource temporarily unavailable. */
    public static final int EAGAIN = 11;
    /** Cannot allocate memory. */
    public static final int ENOMEM = 12;
    /** Bad address. */
    public static final int EFAULT = 14;
    /** Permission denied. */
    public static final int EACCES = 13;
    /** File exists. */
    public static final int EEXIST = 17;
    /** No such device. */
    public static final int ENODEV = 19;
    /** Invalid argument. */
    public static final int EINVAL = 22;
    /** Too many open files in system. */
    public static final int ENFILE = 23;
    /** Too many open files. */
    public static final int EMFILE = 24;
    /** No space left on device. */
    public static final int ENOSPC = 28;
    /** Numerical result out of range. */
    public static final int ERANGE = 34;
    /** File name too long. */
    public static final int ENAMETOOLONG = 36;
    /** Too many levels of symbolic links. */
    public static final int ELOOP = 40;
    /** Identifier removed. */
    public static final int EIDRM = 43;
    /** Value too large for defined data type. */
    public static final int EOVERFLOW = 75;
    /** Connection timed out. */
    public static final int ETIMEDOUT = 110;

    private record Known(String symbol, String text) {}

    // Used where libc lacks strerrorname_np/strerrordesc_np (glibc < 2.32, musl).
    private static final Map<Integer, Known> KNOWN = Map.ofEntries(
            Map.entry(EPERM, new Known("EPERM", "Operation not permitted")),
            Map.entry(ENOENT, new Known("ENOENT", "No such file or directory")),
            Map.entry(EINTR, new Known("EINTR", "Interrupted system call")),
            Map.entry(EAGAIN, new Known("EAGAIN", "Resource temporarily unavailable")),
            Map.entry(ENOMEM, new Known("ENOMEM", "Cannot allocate memory")),
            Map.entry(EFAULT, new Known("EFAULT", "Bad address")),
            Map.entry(EACCES, new Known("EACCES", "Permission denied")),
            Map.entry(ENODEV, new Known("ENODEV", "No such device")),
            Map.entry(ELOOP, new Known("ELOOP", "Too many levels of symbolic links")),
            Map.entry(EEXIST, new Known("EEXIST", "File exists")),
            Map.entry(EINVAL, new Known("EINVAL", "Invalid argument")),
            Map.entry(ENFILE, new Known("ENFILE", "Too many open files in system")),
            Map.entry(EMFILE, new Known("EMFILE", "Too many open files")),
            Map.entry(ENOSPC, new Known("ENOSPC", "No space left on device")),
            Map.entry(ERANGE, new Known("ERANGE", "Numerical result out of range")),
            Map.entry(ENAMETOOLONG, new Known("ENAMETOOLONG", "File name too long")),
            Map.entry(EIDRM, new Known("EIDRM", "Identifier removed")),
            Map.entry(EOVERFLOW, new Known("EOVERFLOW", "Value too large for defined data type")),
            Map.entry(ETIMEDOUT, new Known("ETIMEDOUT", "Connection timed out")));

    /**
     * The symbol of an errno value.
     *
     * @param errno the value
     * @return such as {@code "ENOENT"}, or {@code "errno N"} where unknown
     */
    public static String symbol(int errno) {
        String fromLibc = FromLibc.string(FromLibc.STRERRORNAME_NP, errno);
        if (fromLibc != null) {
            return fromLibc;
        }
        Known known = KNOWN.get(errno);
        return known != null ? known.symbol() : "errno " + errno;
    }

    /**
     * The English text of an errno value, independent of the locale.
     *
     * @param errno the value
     * @return such as {@code "No such file or directory"}
     */
    public static String text(int errno) {
        String fromLibc = FromLibc.string(FromLibc.STRERRORDESC_NP, errno);
        if (fromLibc != null) {
            return fromLibc;
        }
        Known known = KNOWN.get(errno);
        return known != null ? known.text() : "unknown error";
    }

    /** glibc >= 2.32's thread-safe, locale-independent tables; bound on first use, on Linux only. */
    private static final class FromLibc {
        private static final SymbolLookup C = Linker.nativeLinker().defaultLookup();
        static final MethodHandle STRERRORNAME_NP = optional("strerrorname_np");
        static final MethodHandle STRERRORDESC_NP = optional("strerrordesc_np");

        private static MethodHandle optional(String symbol) {
            return C.find(symbol)
                    .map(a -> NativeAccess.downcall(a, FunctionDescriptor.of(ADDRESS, JAVA_INT)))
                    .orElse(null);
        }

        @SuppressWarnings("restricted") // a string libc returns: its length is unknown
        static String string(MethodHandle function, int errno) {
            if (function == null) {
                return null;
            }
            try {
                MemorySegment s = (MemorySegment) function.invokeExact(errno);
                // A pointer into libc's read-only string table: bounded by its NUL, which
                // getString finds; the length given here only lets it look.
                return s.address() == 0L ? null : s.reinterpret(Integer.MAX_VALUE).getString(0);
            } catch (Throwable t) {
                throw NativeAccess.rethrow(t);
            }
        }
    }
}
