package io.github.namedsem.internal.sysv;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.github.namedsem.internal.platform.NativeAccess;
import io.github.namedsem.internal.platform.NativeLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * Every System V semaphore call namedsem makes, bound once: {@code semget}, {@code semop},
 * {@code semtimedop} and the variadic {@code semctl}. Nothing else calls them.
 */
final class SysV {
    private SysV() {}

    static final int IPC_CREAT = 0x200;
    static final int IPC_EXCL = 0x400;
    static final int IPC_NOWAIT = 0x800;
    static final int SEM_UNDO = 0x1000;
    static final int IPC_RMID = 0;
    static final int IPC_STAT = 2;
    static final int GETPID = 11;
    static final int GETVAL = 12;
    static final int GETNCNT = 14;
    static final int GETALL = 13;
    static final int SETALL = 17;
    /** The largest value of one System V semaphore on Linux. */
    static final int SEMVMX = 32767;

    private static final Linker.Option CAPTURE = NativeLayouts.CAPTURE_ERRNO;
    /**
     * The C library. The JVM's default lookup is the usual way, but the JDK makes it empty for
     * good when its first use finds no free file descriptor; libc.so.6, already loaded in every
     * process, is then found by name (dlopen of a loaded library opens no file).
     */
    static final SymbolLookup C = name -> Linker.nativeLinker().defaultLookup().find(name).or(() -> libc().find(name));

    @SuppressWarnings("restricted") // libc, looked up by name
    private static SymbolLookup libc() {
        try {
            return SymbolLookup.libraryLookup("libc.so.6", Arena.global());
        } catch (IllegalArgumentException notThere) {
            return name -> java.util.Optional.empty();
        }
    }

    // int semget(key_t key, int nsems, int semflg)
    private static final MethodHandle SEMGET = NativeAccess.downcall(C, "semget",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE);
    // int semop(int semid, struct sembuf *sops, size_t nsops)
    private static final MethodHandle SEMOP = NativeAccess.downcall(C, "semop",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE);
    // int semtimedop(int semid, struct sembuf *sops, size_t nsops, const struct timespec *timeout)
    private static final MethodHandle SEMTIMEDOP = NativeAccess.downcall(C, "semtimedop",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS), CAPTURE);
    // int semctl(int semid, int semnum, int cmd, ...): without the 4th argument (GETVAL, IPC_RMID)
    private static final MethodHandle SEMCTL = NativeAccess.downcall(C, "semctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(3), CAPTURE);
    // ... and with the union semun's 'array' or 'buf' member (GETALL, SETALL, IPC_STAT), a pointer
    private static final MethodHandle SEMCTL_ARRAY = NativeAccess.downcall(C, "semctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS), Linker.Option.firstVariadicArg(3), CAPTURE);

    /**
     * Binds every function now. The backend calls it when it is created, so that a JVM that
     * denies native access fails there, where {@code Backends} turns the failure into the same
     * clear exception for every call, and not in the middle of a first operation.
     */
    static void bind() {
        // Calling a static method runs the class's initialiser, which binds the handles above.
    }

    static int semget(MemorySegment capture, int key, int nsems, int flags) {
        try {
            return (int) SEMGET.invokeExact(capture, key, nsems, flags);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int semop(MemorySegment capture, int semid, MemorySegment sops, long nsops) {
        try {
            return (int) SEMOP.invokeExact(capture, semid, sops, nsops);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int semtimedop(MemorySegment capture, int semid, MemorySegment sops, long nsops, MemorySegment timeout) {
        try {
            return (int) SEMTIMEDOP.invokeExact(capture, semid, sops, nsops, timeout);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int semctl(MemorySegment capture, int semid, int semnum, int cmd) {
        try {
            return (int) SEMCTL.invokeExact(capture, semid, semnum, cmd);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }

    static int semctlArray(MemorySegment capture, int semid, int cmd, MemorySegment values) {
        try {
            return (int) SEMCTL_ARRAY.invokeExact(capture, semid, 0, cmd, values);
        } catch (Throwable t) {
            throw NativeAccess.rethrow(t);
        }
    }
}
