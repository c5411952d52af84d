package io.github.namedsem.internal.sysv;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import io.github.namedsem.internal.platform.Errno;
import io.github.namedsem.internal.platform.NativeAccess;
import io.github.namedsem.internal.platform.NativeLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a marker file as untrusted input: {@code open} with {@code O_NOFOLLOW|O_NONBLOCK} (a
 * symbolic link fails with {@code ELOOP}, a FIFO opens without waiting for a writer), then
 * {@code statx} on the descriptor, so the type, owner and size checked are those of the very
 * file read, and a bounded {@code read}. java.nio cannot do this: it follows links and blocks
 * on FIFOs.
 */
final class MarkerIo {
    private MarkerIo() {}

    // Linux's generic values, shared by x86_64 and aarch64.
    private static final int O_RDONLY = 0;
    private static final int O_NOCTTY = 0400;
    private static final int O_NONBLOCK = 04000;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_CLOEXEC = 02000000;
    private static final int AT_EMPTY_PATH = 0x1000;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    static final int ELOOP = 40;

    /** {@code struct statx} is 256 bytes with one layout on every architecture. */
    private static final long STATX_SIZE = 256;
    private static final long STX_UID = 20;
    private static final long STX_MODE = 28;
    private static final long STX_SIZE = 40;

    private static final SymbolLookup C = SysV.C;
    private static final Linker.Option CAPTURE = Linker.Option.captureCallState("errno");
    // int open(const char *path, int flags, ...): the variadic mode is passed as 0
    private static final MethodHandle OPEN = NativeAccess.downcall(C, "open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2), CAPTURE);
    // int statx(int dirfd, const char *path, int flags, unsigned mask, struct statx *buf)
    private static final MethodHandle STATX = NativeAccess.downcall(C, "statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), CAPTURE);
    // ssize_t read(int fd, void *buf, size_t count)
    private static final MethodHandle READ = NativeAccess.downcall(C, "read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE);
    private static final MethodHandle CLOSE = NativeAccess.downcall(C, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETEUID = NativeAccess.downcall(C, "geteuid", FunctionDescriptor.of(JAVA_INT));

    /** What reading a file found. */
    sealed interface Read permits Missing, Content, Refused {}

    /** There is no such file. */
    record Missing() implements Read {}

    /** A regular file of at most the limit, its bytes and its owner. */
    record Content(byte[] bytes, int ownerUid) implements Read {}

    /** Something that is not a small regular file; {@code why} says what it is. */
    record Refused(String why, int errno) implements Read {}

    /**
     * Reads a small regular file without following links or blocking.
     *
     * @param path the file
     * @param limit the largest size accepted
     * @return what was found
     * @throws OutOfDescriptors if this process has no file descriptor left
     */
    static Read read(Path path, int limit) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(NativeLayouts.CALL_STATE);
            int fd = (int) call(OPEN, capture, arena.allocateFrom(path.toString()), O_RDONLY | O_NOFOLLOW | O_NONBLOCK
                    | O_CLOEXEC | O_NOCTTY, 0);
            if (fd < 0) {
                int errno = NativeLayouts.errno(capture);
                return switch (errno) {
                    case Errno.ENOENT -> new Missing();
                    case ELOOP -> new Refused("a symbolic link (not followed)", errno);
                    case Errno.EMFILE, Errno.ENFILE -> throw new OutOfDescriptors(errno);
                    default -> new Refused("cannot be opened (" + Errno.symbol(errno) + ")", errno);
                };
            }
            try {
                MemorySegment stat = arena.allocate(STATX_SIZE, 8);
                if ((int) call(STATX, capture, fd, arena.allocateFrom(""), AT_EMPTY_PATH, STATX_BASIC_STATS, stat) != 0) {
                    return new Refused("statx failed (" + Errno.symbol(NativeLayouts.errno(capture)) + ")", NativeLayouts.errno(capture));
                }
                int mode = Short.toUnsignedInt(stat.get(JAVA_SHORT, STX_MODE));
                if ((mode & S_IFMT) != S_IFREG) {
                    return new Refused("not a regular file (a " + typeOf(mode) + ")", 0);
                }
                long size = stat.get(JAVA_LONG, STX_SIZE);
                if (size > limit) {
                    return new Refused(size + " bytes, more than a marker's " + limit, 0);
                }
                // Read one byte more than allowed, to notice a file that grew since statx.
                MemorySegment buffer = arena.allocate(limit + 1);
                long total = 0;
                for (long n; total <= limit && (n = (long) call(READ, capture, fd, buffer.asSlice(total), limit + 1 - total)) != 0; ) {
                    if (n < 0) {
                        if (NativeLayouts.errno(capture) == Errno.EINTR) {
                            continue;
                        }
                        return new Refused("cannot be read (" + Errno.symbol(NativeLayouts.errno(capture)) + ")", NativeLayouts.errno(capture));
                    }
                    total += n;
                }
                if (total > limit) {
                    return new Refused("more than a marker's " + limit + " bytes", 0);
                }
                return new Content(Arrays.copyOf(buffer.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), (int) total),
                        stat.get(JAVA_INT, STX_UID));
            } finally {
                call(CLOSE, fd);
            }
        }
    }

    /** Binds the functions now; see {@link SysV#bind()}. */
    static void bind() {
        // Calling a static method runs the class's initialiser.
    }

    /** The effective user id of this process: the owner of what it creates. */
    static int geteuid() {
        return (int) call(GETEUID);
    }

    private static String typeOf(int mode) {
        return switch (mode & S_IFMT) {
            case 0010000 -> "FIFO";
            case 0020000 -> "character device";
            case 0060000 -> "block device";
            case 0040000 -> "directory";
            case 0140000 -> "socket";
            default -> String.format("file of type 0%o", mode & S_IFMT);
        };
    }

    /** Thrown when {@code open} fails with {@code EMFILE} or {@code ENFILE}. */
    static final class OutOfDescriptors extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int errno;

        OutOfDescriptors(int errno) {
            super(Errno.symbol(errno), null, false, false);
            this.errno = errno;
        }
    }

    private static Object call(MethodHandle handle, Object... args) {
        try {
            return handle.invokeWithArguments(args);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }
}
