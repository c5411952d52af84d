package io.github.namedsem.internal.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.namedsem.internal.platform.NativeAccess;
import io.github.namedsem.internal.platform.NativeLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The file, memory and futex calls with which namedsem opens and maps glibc semaphore files
 * itself (see {@link SemFile}), all as system calls through one binding (see {@code SYSCALL}).
 * Everything that differs between the two 64-bit Linux ABIs supported (x86_64, aarch64) is here:
 * flag values, the {@code struct stat} layout and the system call numbers. {@link #SUPPORTED} is false anywhere else, and the caller
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
     * ABI with a C library that exports {@code fstat}: glibc 2.33 and later, so also the 64-bit
     * {@code sem_t} of glibc 2.21 and later that {@link GlibcProtocol} needs.
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

    /**
     * The system call numbers: x86_64 has its own table, aarch64 the generic one (which has no
     * {@code open}, {@code link} or {@code unlink}, so the {@code *at} forms serve both).
     */
    private static final long SYS_WRITE = AARCH64 ? 64 : 1;
    private static final long SYS_CLOSE = AARCH64 ? 57 : 3;
    private static final long SYS_FSTAT = AARCH64 ? 80 : 5;
    private static final long SYS_MMAP = AARCH64 ? 222 : 9;
    private static final long SYS_MUNMAP = AARCH64 ? 215 : 11;
    private static final long SYS_GETEUID = AARCH64 ? 175 : 107;
    private static final long SYS_FUTEX = AARCH64 ? 98 : 202;
    private static final long SYS_OPENAT = AARCH64 ? 56 : 257;
    private static final long SYS_UNLINKAT = AARCH64 ? 35 : 263;
    private static final long SYS_LINKAT = AARCH64 ? 37 : 265;
    /** The {@code dirfd} of the {@code *at} calls that makes a relative path relative to the working directory. */
    private static final long AT_FDCWD = -100;

    /** {@code struct stat}, as the kernel's {@code fstat} fills it: its size and the offsets of the fields read. */
    static final long STAT_SIZE = AARCH64 ? 128 : 144;
    static final long ST_DEV = 0;
    static final long ST_INO = 8;
    static final long ST_MODE = AARCH64 ? 16 : 24;
    static final long ST_UID = AARCH64 ? 24 : 28;
    static final long ST_SIZE = 48;

    /*
     * Every call here is made through glibc's long syscall(long number, ...) with one descriptor,
     * WORDS: seven 64-bit integer words (the kernel reads whole registers and ignores those a
     * call does not take), so the JVM generates one downcall stub for all of them. Each distinct
     * descriptor costs a generated class and 10-20 ms at its first link, which was most of a
     * short 'namedsem run' (11 descriptors here alone, 4 with the self-test's C functions; see
     * bindWords for how those share this one too). The descriptor is not declared variadic,
     * though syscall() is: on the two ABIs admitted (see bindWords) variadic integer arguments
     * travel exactly as named ones, and declaring it so cost another 10 ms of linking.
     * Pointers go as their addresses: every segment passed comes from the caller's own arena,
     * open for the whole call, and the futex address is the mapping's (a segment of the
     * mapping's shared arena would be acquired by the call, and an acquired arena refuses close()).
     * syscall() returns -1 and sets errno for the kernel's -errno results.
     */
    private static final FunctionDescriptor WORDS = FunctionDescriptor.of(JAVA_LONG,
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private static final MethodHandle SYSCALL = SUPPORTED ? bindWords("syscall") : null;

    /**
     * Links {@code syscall()} now, the one native function a process running glibc's protocol in
     * Java needs: a JVM that denies native access fails here, when the backend is made.
     */
    static void bind() {
        // the class initialiser has done it
    }

    /**
     * Binds a C function whose arguments and result are all integers or pointers, at most
     * seven, with the descriptor of {@code syscall()}, so that it shares that call's stub and
     * costs no link of its own. Sound on the two ABIs {@link #SUPPORTED} admits, and only there.
     * On both (System V x86_64, AAPCS64 on Linux), integer and pointer arguments travel in the
     * same registers whether named or variadic, a function ignores registers past its own
     * parameters, an {@code int} parameter reads the low half of its register, and a function
     * that returns {@code int} leaves the upper half of the return register undefined, so the
     * caller casts the result to {@code int}. One difference remains on x86_64: a variadic
     * callee ({@code syscall}, {@code sem_open}) may read {@code al} as an upper bound of the
     * vector registers holding arguments, which this non-variadic call leaves unset; glibc's
     * {@code syscall} is assembly that never reads it, and a prologue that does only decides
     * whether to save vector registers that calls with integer arguments do not use.
     *
     * @param symbol a C library function
     * @return a handle for {@link #callWords}
     */
    static MethodHandle bindWords(String symbol) {
        return NativeAccess.downcall(C, symbol, WORDS, NativeLayouts.CAPTURE_ERRNO);
    }

    /** Calls a function bound by {@link #bindWords}; unused words are passed as 0. */
    static long callWords(MethodHandle function, MemorySegment capture, long a, long b, long c, long d) {
        return callWords(function, capture, a, b, c, d, 0, 0, 0);
    }

    private static long callWords(MethodHandle function, MemorySegment capture,
                                  long a, long b, long c, long d, long e, long f, long g) {
        try {
            return (long) function.invokeExact(capture, a, b, c, d, e, f, g);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    private static long syscall(MemorySegment capture, long number, long a, long b, long c, long d, long e, long f) {
        return callWords(SYSCALL, capture, number, a, b, c, d, e, f);
    }

    static int open(MemorySegment capture, MemorySegment path, int flags, int mode) {
        return (int) syscall(capture, SYS_OPENAT, AT_FDCWD, path.address(), flags, mode, 0, 0);
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            syscall(arena.allocate(NativeLayouts.CALL_STATE), SYS_CLOSE, fd, 0, 0, 0, 0, 0); // Linux frees the descriptor even on EINTR
        }
    }

    static int fstat(MemorySegment capture, int fd, MemorySegment stat) {
        return (int) syscall(capture, SYS_FSTAT, fd, stat.address(), 0, 0, 0, 0);
    }

    static long write(MemorySegment capture, int fd, MemorySegment bytes) {
        return syscall(capture, SYS_WRITE, fd, bytes.address(), bytes.byteSize(), 0, 0, 0);
    }

    /** Maps {@code length} bytes of {@code fd} shared and writable; returns the address or -1. */
    static long mmap(MemorySegment capture, long length, int fd) {
        return syscall(capture, SYS_MMAP, 0L, length, PROT_READ_WRITE, MAP_SHARED, fd, 0L);
    }

    static void munmap(long address, long length) {
        try (Arena arena = Arena.ofConfined()) {
            syscall(arena.allocate(NativeLayouts.CALL_STATE), SYS_MUNMAP, address, length, 0, 0, 0, 0); // fails only for bad arguments
        }
    }

    static int link(MemorySegment capture, MemorySegment from, MemorySegment to) {
        return (int) syscall(capture, SYS_LINKAT, AT_FDCWD, from.address(), AT_FDCWD, to.address(), 0, 0);
    }

    static int unlink(MemorySegment capture, MemorySegment path) {
        return (int) syscall(capture, SYS_UNLINKAT, AT_FDCWD, path.address(), 0, 0, 0, 0);
    }

    static int geteuid() {
        try (Arena arena = Arena.ofConfined()) {
            return (int) syscall(arena.allocate(NativeLayouts.CALL_STATE), SYS_GETEUID, 0, 0, 0, 0, 0, 0); // cannot fail
        }
    }

    /**
     * {@code futex(address, op, value, timeout)}.
     *
     * @param timeout a relative {@code struct timespec} for FUTEX_WAIT, or NULL
     * @return the system call's result; -1 with errno in {@code capture}
     */
    static long futex(MemorySegment capture, long address, int op, int value, MemorySegment timeout) {
        return syscall(capture, SYS_FUTEX, address, op, value, timeout.address(), 0, 0);
    }
}
