package io.github.namedsem.internal.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.namedsem.internal.platform.NativeAccess;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The file, memory and futex calls with which namedsem opens and maps glibc semaphore files
 * itself (see {@link SemFile}). Everything that differs between the two 64-bit Linux ABIs
 * supported (x86_64, aarch64) is here: flag values, the {@code struct stat} layout and the
 * {@code futex} system call number. {@link #SUPPORTED} is false anywhere else, and the caller
 * then keeps to {@code sem_open}.
 */
final class Sys {
    private Sys() {}

    private static final String ARCH = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    private static final boolean X86_64 = ARCH.equals("amd64") || ARCH.equals("x86_64");
    private static final boolean AARCH64 = ARCH.equals("aarch64");
    private static final SymbolLookup C = Linker.nativeLinker().defaultLookup();

    /**
     * Whether this process can map semaphore files itself: 64-bit little-endian Linux on a known
     * ABI with a C library that exports {@code fstat} (glibc 2.33 and later).
     */
    static final boolean SUPPORTED = (X86_64 || AARCH64) && ADDRESS.byteSize() == 8
            && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
            && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")
            && C.find("fstat").isPresent() && C.find("gnu_get_libc_version").isPresent();

    static final int O_RDWR = 02;
    static final int O_CREAT = 0100;
    static final int O_EXCL = 0200;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;
    static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    static final int PROT_READ_WRITE = 0x1 | 0x2;
    static final int MAP_SHARED = 0x01;
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;

    static final int FUTEX_WAIT = 0;
    static final int FUTEX_WAKE = 1;
    private static final long SYS_FUTEX = AARCH64 ? 98 : 202;

    /** {@code struct stat}: its size and the offsets of the fields read. */
    static final long STAT_SIZE = AARCH64 ? 128 : 144;
    static final long ST_DEV = 0;
    static final long ST_INO = 8;
    static final long ST_MODE = AARCH64 ? 16 : 24;
    static final long ST_UID = AARCH64 ? 24 : 28;
    static final long ST_SIZE = 48;

    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2), ERRNO);
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle FSTAT = bind("fstat", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS), ERRNO);
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), ERRNO);
    private static final MethodHandle MMAP = bind("mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), ERRNO);
    private static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle LINK = bind("link", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), ERRNO);
    private static final MethodHandle UNLINK = bind("unlink", FunctionDescriptor.of(JAVA_INT, ADDRESS), ERRNO);
    private static final MethodHandle GETEUID = bind("geteuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GNU_GET_LIBC_VERSION = bind("gnu_get_libc_version", FunctionDescriptor.of(ADDRESS));
    // long syscall(long number, ...): every variadic argument passed as a full 64-bit word,
    // as the kernel reads them. The futex address is a raw number, not a segment: a segment of
    // the mapping's arena would be acquired by the call, and an acquired arena refuses close().
    private static final MethodHandle FUTEX = bind("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1), ERRNO);

    private static MethodHandle bind(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        if (!SUPPORTED) {
            return null;
        }
        return NativeAccess.downcall(C, symbol, descriptor, options);
    }

    static int open(MemorySegment capture, MemorySegment path, int flags, int mode) {
        try {
            return (int) OPEN.invokeExact(capture, path, flags, mode);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd); // Linux frees the descriptor even on EINTR
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int fstat(MemorySegment capture, int fd, MemorySegment stat) {
        try {
            return (int) FSTAT.invokeExact(capture, fd, stat);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static long write(MemorySegment capture, int fd, MemorySegment bytes) {
        try {
            return (long) WRITE.invokeExact(capture, fd, bytes, bytes.byteSize());
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** Maps {@code length} bytes of {@code fd} shared and writable; returns the address or -1. */
    static long mmap(MemorySegment capture, long length, int fd) {
        try {
            return (long) MMAP.invokeExact(capture, 0L, length, PROT_READ_WRITE, MAP_SHARED, fd, 0L);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static void munmap(long address, long length) {
        try {
            int ignored = (int) MUNMAP.invokeExact(address, length); // fails only for bad arguments
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int link(MemorySegment capture, MemorySegment from, MemorySegment to) {
        try {
            return (int) LINK.invokeExact(capture, from, to);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int unlink(MemorySegment capture, MemorySegment path) {
        try {
            return (int) UNLINK.invokeExact(capture, path);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /** The running glibc's version, such as {@code "2.36"}. */
    @SuppressWarnings("restricted") // a short constant string in libc
    static String glibcVersion() {
        try {
            MemorySegment s = (MemorySegment) GNU_GET_LIBC_VERSION.invokeExact();
            return s.reinterpret(64).getString(0); // a short constant string in libc
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    /**
     * {@code futex(address, op, value, timeout)}.
     *
     * @param timeout a relative {@code struct timespec} for FUTEX_WAIT, or NULL
     * @return the system call's result; -1 with errno in {@code capture}
     */
    static long futex(MemorySegment capture, long address, int op, int value, MemorySegment timeout) {
        try {
            return (long) FUTEX.invokeExact(capture, SYS_FUTEX, address, (long) op, (long) value, timeout, 0L, 0L);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }
}
