package io.github.namedsem.internal.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.github.namedsem.internal.platform.NativeAccess;
import io.github.namedsem.internal.platform.NativeLayouts;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Every C library function namedsem calls on POSIX systems. Nothing else in the project calls
 * {@code sem_open} and friends.
 *
 * <p>Each function is bound when it is first called, in a holder class of its own (the JVM runs
 * a class's initialiser at its first use, exactly once): linking a function with a descriptor
 * not linked before generates a class and costs milliseconds. Where glibc's protocol runs in
 * Java, a process calls only the functions its start-up self-test compares with, and those
 * through {@link Compared}, which links nothing of its own; elsewhere {@link #bind()} binds
 * {@code sem_open} when the backend is made.
 *
 * <p>Calls that can fail in more than one way capture {@code errno} through
 * {@link Linker.Option#captureCallState}, the only reliable way: the JVM may itself change
 * {@code errno} between a downcall and any later call that would read it. The hot-path calls
 * ({@code sem_trywait}, {@code sem_post}, {@code sem_getvalue}) have exactly one failure each
 * on a valid {@code sem_t} (respectively {@code EAGAIN}, {@code EOVERFLOW}, none), so they skip
 * the capture and its buffer, and are bound as {@linkplain Linker.Option#critical critical}:
 * they never block (a {@code sem_post} that wakes a waiter makes one short futex call) and never
 * call back into Java, which is what a critical call requires.
 */
final class LibC {
    private LibC() {}

    /**
     * Binds {@code sem_open} now, so that a JVM that denies native access fails here, when the
     * backend is made.
     */
    static void bind() {
        SemOpen.HANDLE.type(); // the first use runs the holder's initialiser, which binds it
    }

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup C = LINKER.defaultLookup();

    private static final Linker.Option CAPTURE_ERRNO = NativeLayouts.CAPTURE_ERRNO;
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    // sem_t *sem_open(const char *name, int oflag, ...) -- the variadic part is (mode_t mode,
    // unsigned value), read only with O_CREAT; passing them always is valid C.
    private static final class SemOpen {
        static final MethodHandle HANDLE = NativeAccess.downcall(C, "sem_open",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    }

    private static final class SemClose {
        static final MethodHandle HANDLE = NativeAccess.downcall(C, "sem_close",
                FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class SemUnlink {
        static final MethodHandle HANDLE = NativeAccess.downcall(C, "sem_unlink",
                FunctionDescriptor.of(JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class SemTrywait {
        static final MethodHandle HANDLE = NativeAccess.downcall(C, "sem_trywait",
                FunctionDescriptor.of(JAVA_INT, ADDRESS), CRITICAL);
    }

    private static final class SemPost {
        static final MethodHandle HANDLE = NativeAccess.downcall(C, "sem_post",
                FunctionDescriptor.of(JAVA_INT, ADDRESS), CRITICAL);
    }

    private static final class SemGetvalue {
        static final MethodHandle HANDLE = NativeAccess.downcall(C, "sem_getvalue",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), CRITICAL);
    }

    // glibc >= 2.30; without it, timed waits fall back to sem_timedwait on CLOCK_REALTIME.
    private static final class SemClockwait {
        static final MethodHandle HANDLE = optional("sem_clockwait",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class SemTimedwait {
        static final MethodHandle HANDLE = NativeAccess.downcall(C, "sem_timedwait",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
    }

    private static final class ClockGettime {
        static final MethodHandle HANDLE = NativeAccess.downcall(C, "clock_gettime",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    /**
     * The C functions the start-up self-test ({@link GlibcSelfTest}) compares with Java, where
     * their speed does not matter: bound by {@link Sys#bindWords} with the descriptor of
     * {@code syscall()}, which a process running glibc's protocol links anyway, they share its
     * stub. Bound with descriptors of their own, they cost three more links, about 50 ms of every
     * short {@code namedsem run}.
     */
    enum Compared {
        SEM_OPEN("sem_open"),
        SEM_UNLINK("sem_unlink"),
        SEM_CLOSE("sem_close"),
        SEM_TRYWAIT("sem_trywait"),
        SEM_POST("sem_post"),
        SEM_GETVALUE("sem_getvalue"),
        SEM_TIMEDWAIT("sem_timedwait");

        private final MethodHandle function;

        Compared(String symbol) {
            function = Sys.bindWords(symbol);
        }

        /** Calls the function with up to four integer or pointer arguments; returns its whole result. */
        long call(MemorySegment capture, long a, long b, long c, long d) {
            return Sys.callWords(function, capture, a, b, c, d);
        }

        /** Calls a function of one pointer that returns {@code int}. */
        int call(MemorySegment capture, MemorySegment pointer) {
            return (int) call(capture, pointer.address(), 0, 0, 0);
        }

        /** Calls a function of two pointers that returns {@code int}. */
        int call(MemorySegment capture, MemorySegment pointer, MemorySegment other) {
            return (int) call(capture, pointer.address(), other.address(), 0, 0);
        }
    }

    /** Whether this is the GNU C library, whose sem_t layout {@link PosixSemaphore} may read. */
    static final boolean GLIBC = C.find("gnu_get_libc_version").isPresent();

    private static MethodHandle optional(String symbol, FunctionDescriptor descriptor, Linker.Option... options) {
        Optional<MemorySegment> address = C.find(symbol);
        return address.map(a -> NativeAccess.downcall(a, descriptor, options)).orElse(null);
    }

    /** SEM_FAILED is {@code (sem_t *) 0} in glibc and musl, {@code (sem_t *) -1} on BSDs and macOS. */
    static boolean isSemFailed(MemorySegment sem) {
        return sem.address() == 0L || sem.address() == -1L;
    }

    static MemorySegment semOpen(MemorySegment capture, MemorySegment name, int oflag, int mode, int value) {
        try {
            return (MemorySegment) SemOpen.HANDLE.invokeExact(capture, name, oflag, mode, value);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int semClose(MemorySegment capture, MemorySegment sem) {
        try {
            return (int) SemClose.HANDLE.invokeExact(capture, sem);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int semUnlink(MemorySegment capture, MemorySegment name) {
        try {
            return (int) SemUnlink.HANDLE.invokeExact(capture, name);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int semTrywait(MemorySegment sem) {
        try {
            return (int) SemTrywait.HANDLE.invokeExact(sem);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int semPost(MemorySegment sem) {
        try {
            return (int) SemPost.HANDLE.invokeExact(sem);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int semGetvalue(MemorySegment sem, MemorySegment intOut) {
        try {
            return (int) SemGetvalue.HANDLE.invokeExact(sem, intOut);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static boolean hasSemClockwait() {
        return SemClockwait.HANDLE != null;
    }

    static int semClockwait(MemorySegment capture, MemorySegment sem, int clock, MemorySegment abstime) {
        try {
            return (int) SemClockwait.HANDLE.invokeExact(capture, sem, clock, abstime);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int semTimedwait(MemorySegment capture, MemorySegment sem, MemorySegment abstime) {
        try {
            return (int) SemTimedwait.HANDLE.invokeExact(capture, sem, abstime);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int clockGettime(int clock, MemorySegment timespec) {
        try {
            return (int) ClockGettime.HANDLE.invokeExact(clock, timespec);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }
}
