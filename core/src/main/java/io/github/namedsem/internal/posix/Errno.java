package io.github.namedsem.internal.posix;

import java.util.Map;

/**
 * The {@code errno} values namedsem acts on, as Linux defines them (x86_64 and aarch64 share
 * them). Other POSIX systems number some differently (macOS: {@code EAGAIN} 35,
 * {@code ETIMEDOUT} 60), so a port there brings its own table.
 */
final class Errno {
    private Errno() {}

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EFAULT = 14;
    static final int ENODEV = 19;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int ENOSPC = 28;
    static final int ENAMETOOLONG = 36;
    static final int ELOOP = 40;
    static final int EOVERFLOW = 75;
    static final int ETIMEDOUT = 110;

    // Used where libc lacks strerrorname_np/strerrordesc_np (glibc < 2.32, musl).
    private static final Map<Integer, String[]> KNOWN = Map.ofEntries(
            Map.entry(EPERM, new String[] {"EPERM", "Operation not permitted"}),
            Map.entry(ENOENT, new String[] {"ENOENT", "No such file or directory"}),
            Map.entry(EINTR, new String[] {"EINTR", "Interrupted system call"}),
            Map.entry(EAGAIN, new String[] {"EAGAIN", "Resource temporarily unavailable"}),
            Map.entry(ENOMEM, new String[] {"ENOMEM", "Cannot allocate memory"}),
            Map.entry(EFAULT, new String[] {"EFAULT", "Bad address"}),
            Map.entry(ENODEV, new String[] {"ENODEV", "No such device"}),
            Map.entry(EACCES, new String[] {"EACCES", "Permission denied"}),
            Map.entry(EEXIST, new String[] {"EEXIST", "File exists"}),
            Map.entry(EINVAL, new String[] {"EINVAL", "Invalid argument"}),
            Map.entry(ENFILE, new String[] {"ENFILE", "Too many open files in system"}),
            Map.entry(EMFILE, new String[] {"EMFILE", "Too many open files"}),
            Map.entry(ENOSPC, new String[] {"ENOSPC", "No space left on device"}),
            Map.entry(ENAMETOOLONG, new String[] {"ENAMETOOLONG", "File name too long"}),
            Map.entry(ELOOP, new String[] {"ELOOP", "Too many levels of symbolic links"}),
            Map.entry(EOVERFLOW, new String[] {"EOVERFLOW", "Value too large for defined data type"}),
            Map.entry(ETIMEDOUT, new String[] {"ETIMEDOUT", "Connection timed out"}));

    /** The symbol, such as {@code "ENOENT"}, or {@code "errno N"} where unknown. */
    static String name(int errno) {
        String fromLibc = LibC.strerrorname(errno);
        if (fromLibc != null) {
            return fromLibc;
        }
        String[] known = KNOWN.get(errno);
        return known != null ? known[0] : "errno " + errno;
    }

    /** The text, such as {@code "No such file or directory"}. */
    static String text(int errno) {
        String fromLibc = LibC.strerrordesc(errno);
        if (fromLibc != null) {
            return fromLibc;
        }
        String[] known = KNOWN.get(errno);
        return known != null ? known[1] : "unknown error";
    }
}
